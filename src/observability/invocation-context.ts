import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Fields every log line of one Lambda invocation carries (the Lambda request id, Slack's retry
 * number), without passing them through every use case: the logger reads them from here.
 */
export type InvocationFields = Readonly<Record<string, string | number>>;

const storage = new AsyncLocalStorage<InvocationFields>();

export function currentInvocation(): InvocationFields {
  return storage.getStore() ?? {};
}

/** The parts of a Lambda context and an API Gateway event the log lines need. */
interface LambdaContextLike {
  awsRequestId?: unknown;
}
interface EventLike {
  headers?: unknown;
}

/**
 * What identifies an invocation in the logs: `awsRequestId` (also in Lambda's own REPORT line)
 * and, for a request Slack resends because it got no answer in 3 s, `x-slack-retry-num` and
 * `x-slack-retry-reason`.
 */
export function invocationFields(event: unknown, context: unknown): InvocationFields {
  const fields: Record<string, string | number> = {};
  const requestId = (context as LambdaContextLike | undefined)?.awsRequestId;
  if (typeof requestId === 'string' && requestId !== '') fields.awsRequestId = requestId;
  const headers = (event as EventLike | undefined)?.headers;
  if (typeof headers === 'object' && headers !== null) {
    const h = headers as Record<string, unknown>;
    const retry = h['x-slack-retry-num'] ?? h['X-Slack-Retry-Num'];
    if (typeof retry === 'string' && /^\d+$/.test(retry)) fields.slackRetryNum = Number(retry);
    const reason = h['x-slack-retry-reason'] ?? h['X-Slack-Retry-Reason'];
    if (typeof reason === 'string' && reason !== '') fields.slackRetryReason = reason.slice(0, 64);
  }
  return fields;
}

/** Wraps a Lambda handler so every line it logs names its invocation. */
export function withInvocationLog<E, C, R>(
  handler: (event: E, context: C) => Promise<R>,
): (event: E, context: C) => Promise<R> {
  return (event, context) => storage.run(invocationFields(event, context), () => handler(event, context));
}
