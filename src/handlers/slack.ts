import serverless from 'serverless-http';
import { parseEnvironment } from '../config/environment';
import { withInvocationLog } from '../observability/invocation-context';
import { awaitSecrets, SECRETS_UNAVAILABLE } from '../secrets/await-secrets';
import { containerSecrets } from '../secrets/container-secrets';
import { AnswerFirstReceiver } from '../slack/answer-first-receiver';
import { boltLogger } from '../slack/bolt-logger';
import { createSlackApp } from '../slack/create-app';
import { buildRuntime, type SlackSecrets, type WiringOverrides } from './wiring';

type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;
type Source = Readonly<Record<string, string | undefined>>;

interface PreparedSlackHandler {
  /** Answers Slack; the secrets must be in `secrets` by the time a request reaches it. */
  handle: LambdaHandler;
  /** Filled from the environment, or by the Lambda entry below once SSM has answered. */
  secrets: SlackSecrets;
}

/**
 * The Slack Lambda's app, built without its secrets: the signing secret and the bot token are
 * read when a request needs them, so the build can run while the SSM read is on the wire.
 */
function prepareSlackHandler(source: Source, overrides: WiringOverrides = {}): PreparedSlackHandler {
  const { env, deps, secrets } = buildRuntime('slack', source, overrides);
  // Lambda freezes after the response: the listener's work comes first, and is only what
  // must be decided now (one conditional write); the rest is kicked to the worker.
  const receiver = new AnswerFirstReceiver({
    signingSecret: async () => secrets.signingSecret ?? '',
    logger: boltLogger(deps.log),
  });
  createSlackApp({
    receiver,
    botToken: () => secrets.botToken ?? '',
    deps,
    ...(env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {}),
  });
  const wrapped = serverless(receiver.requestListener);
  const handle: LambdaHandler = (event, context) =>
    wrapped(event as Parameters<typeof wrapped>[0], context as Parameters<typeof wrapped>[1]);
  return { handle, secrets };
}

/** The Slack Lambda: every Slack request arrives signed on POST /slack/events. */
export function createSlackHandler(
  source: Source = process.env,
  overrides: WiringOverrides = {},
): LambdaHandler {
  const prepared = prepareSlackHandler(source, overrides);
  requireSecrets(prepared.secrets);
  return prepared.handle;
}

function requireSecrets(secrets: SlackSecrets): void {
  if (!secrets.signingSecret || !secrets.botToken)
    throw new Error('SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are required');
}

let prepared: PreparedSlackHandler | undefined;
let secretsKnown = false;
// Read from SSM once per container, starting now (src/secrets).
const secrets = containerSecrets(process.env, 'slack');

/** Built on the first invocation and reused while the Lambda is warm. */
export const handler: LambdaHandler = withInvocationLog(async (event, context) => {
  // The build is CPU work: done once the read's request has gone out, it overlaps SSM's answer.
  await secrets.sent();
  prepared ??= prepareSlackHandler(process.env);
  const read = await awaitSecrets(secrets, 'slack');
  if (!read.ok) return SECRETS_UNAVAILABLE;
  // Read from SSM (a new source): the same rules as secrets given in the environment (xoxb-, …).
  // Given there, buildRuntime has parsed them already.
  if (!secretsKnown && read.source !== process.env) {
    const env = parseEnvironment(read.source, 'slack');
    Object.assign(prepared.secrets, { signingSecret: env.signingSecret, botToken: env.botToken });
    requireSecrets(prepared.secrets);
    secretsKnown = true;
  }
  return prepared.handle(event, context);
});
