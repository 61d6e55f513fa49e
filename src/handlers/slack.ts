import serverless from 'serverless-http';
import { AnswerFirstReceiver } from '../slack/answer-first-receiver';
import { createSlackApp } from '../slack/create-app';
import { buildRuntime, type WiringOverrides } from './wiring';

type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

/** The Slack Lambda: every Slack request arrives signed on POST /slack/events. */
export function createSlackHandler(
  source: Readonly<Record<string, string | undefined>> = process.env,
  overrides: WiringOverrides = {},
): LambdaHandler {
  const { env, deps } = buildRuntime('slack', source, overrides);
  if (!env.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required');
  // Lambda freezes after the response: the listener's work comes first, and is only what
  // must be decided now (one conditional write); the rest is kicked to the worker.
  const receiver = new AnswerFirstReceiver({ signingSecret: env.signingSecret });
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

/** Built on the first invocation and reused while the Lambda is warm. */
export const handler: LambdaHandler = async (event, context) => {
  instance ??= createSlackHandler();
  return instance(event, context);
};
