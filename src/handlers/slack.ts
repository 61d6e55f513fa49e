import serverless from 'serverless-http';
import { withInvocationLog } from '../observability/invocation-context';
import { awaitSecrets, SECRETS_UNAVAILABLE } from '../secrets/await-secrets';
import { containerSecrets } from '../secrets/container-secrets';
import { AnswerFirstReceiver } from '../slack/answer-first-receiver';
import { boltLogger } from '../slack/bolt-logger';
import { createSlackApp } from '../slack/create-app';
import { buildRuntime, type WiringOverrides } from './wiring';

type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

/** The Slack Lambda: every Slack request arrives signed on POST /slack/events. */
export function createSlackHandler(
  source: Readonly<Record<string, string | undefined>> = process.env,
  overrides: WiringOverrides = {},
): LambdaHandler {
  const { env, deps } = buildRuntime('slack', source, overrides);
  if (!env.signingSecret || !env.botToken)
    throw new Error('SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are required');
  // Lambda freezes after the response: the listener's work comes first, and is only what
  // must be decided now (one conditional write); the rest is kicked to the worker.
  const receiver = new AnswerFirstReceiver({
    signingSecret: env.signingSecret,
    logger: boltLogger(deps.log),
  });
  createSlackApp({
    receiver,
    botToken: env.botToken,
    deps,
    ...(env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {}),
  });
  const wrapped = serverless(receiver.app);
  return (event, context) =>
    wrapped(event as Parameters<typeof wrapped>[0], context as Parameters<typeof wrapped>[1]);
}

let instance: LambdaHandler | undefined;
// Read from SSM once per container, starting now (src/secrets).
const secrets = containerSecrets(process.env, 'slack');

/** Built on the first invocation and reused while the Lambda is warm. */
export const handler: LambdaHandler = withInvocationLog(async (event, context) => {
  const read = await awaitSecrets(secrets, 'slack');
  if (!read.ok) return SECRETS_UNAVAILABLE;
  instance ??= createSlackHandler(read.source);
  return instance(event, context);
});
