import type { GatewayResult } from './ports';

/**
 * Makes one CloudFront call with a deadline that holds whatever the gateway
 * does: the call gets an abort signal (the real gateway hands it to the SDK),
 * and if it has not settled when the deadline passes, the caller gets a
 * transient error at once, even if some step of the call (an AssumeRole, a
 * stuck socket) ignores the signal.
 */
export async function withDeadline<T>(
  operation: string,
  deadlineMs: number,
  call: (signal: AbortSignal) => Promise<GatewayResult<T>>,
): Promise<GatewayResult<T>> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<GatewayResult<T>>((resolve) => {
    timer = setTimeout(
      () => {
        controller.abort();
        resolve({
          ok: false,
          error: {
            kind: 'transient',
            code: 'Timeout',
            message: `CloudFront did not answer ${operation} within ${formatSeconds(deadlineMs)}. The bot will retry automatically.`,
          },
        });
      },
      Math.max(1, deadlineMs),
    );
  });
  try {
    return await Promise.race([call(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
