import type { Logger } from '../app/deps';
import type { KickEvent, Kicker } from '../app/kick';
import { onFirstUse } from '../shared/on-first-use';

export interface LambdaKickerOptions {
  /** WORKER_FUNCTION: the poller's name or ARN. */
  functionName: string;
  /** LAMBDA_ENDPOINT: a loopback fake of the Invoke API in tests. */
  endpoint?: string;
  region?: string;
  log: Logger;
  /**
   * The hand-over's deadline. An asynchronous Invoke answers 202 in tens of
   * milliseconds; past this the kick is given up and the scheduled run does
   * the work, rather than Slack waiting on Lambda.
   */
  timeoutMs?: number;
}

export const KICK_TIMEOUT_MS = 600;

/**
 * Kicks the worker with an asynchronous Lambda invoke (InvocationType Event):
 * Lambda queues the event and answers at once; the worker runs on its own.
 *
 * One attempt, its deadline the client's whole-request timeout: a kick that
 * fails is the scheduled run's work, within a minute. No per-call options, so
 * the client resolves its middleware once instead of on every kick (the SDK
 * skips its handler cache for a call given options, e.g. an abort signal):
 * about 0.3 ms of CPU, a fifth of a warm kick's (README, "Benchmark").
 */
export function lambdaKicker(options: LambdaKickerOptions): Kicker {
  const timeoutMs = options.timeoutMs ?? KICK_TIMEOUT_MS;
  const lambda = onFirstUse(async () => {
    const sdk = await import('./lambda-sdk');
    const client = new sdk.LambdaClient({
      region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      maxAttempts: 1,
      cacheMiddleware: true,
      requestHandler: {
        connectionTimeout: timeoutMs,
        requestTimeout: timeoutMs,
        throwOnRequestTimeout: true,
      },
    });
    return { sdk, client };
  });
  return {
    async kick(event: KickEvent) {
      const started = performance.now();
      try {
        const { sdk, client } = await lambda();
        const out = await client.send(
          new sdk.InvokeCommand({
            FunctionName: options.functionName,
            InvocationType: 'Event',
            Payload: new TextEncoder().encode(JSON.stringify(event)),
          }),
        );
        if (out.StatusCode !== 202) {
          options.log.warn('kick not accepted', { kick: event.kick, statusCode: out.StatusCode });
        }
      } catch (error) {
        // The state is written: the scheduled run does this work within a minute.
        options.log.warn('kick failed', {
          kick: event.kick,
          ms: Math.round(performance.now() - started),
          error,
        });
      }
    },
  };
}
