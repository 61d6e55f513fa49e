/**
 * What bounds one poller run or kick: its budget (POLL_BUDGET_MS, how long it
 * keeps following what is in flight) and, in Lambda, the invocation's remaining
 * time. Measured in real elapsed time, independent of the injected clock: tests
 * move the clock by hand, and a deadline is about the wall clock anyway.
 */
export interface RunBudget {
  /** How much longer the run may keep following; at or below 0 it stops. */
  leftMs(): number;
  /**
   * The deadline for one outbound call started now: `preferredMs`, shortened
   * to end before the Lambda does; at or below 0 the call must not start.
   */
  callDeadlineMs(preferredMs: number): number;
}

/** Kept back from the Lambda's remaining time for the writes after the last call. */
export const LAMBDA_RESERVE_MS = 1_000;

export function runBudget(budgetMs: number, remainingMs?: () => number): RunBudget {
  const started = performance.now();
  const lambdaLeftMs = () =>
    remainingMs === undefined ? Number.POSITIVE_INFINITY : remainingMs() - LAMBDA_RESERVE_MS;
  return {
    leftMs: () => Math.min(budgetMs - (performance.now() - started), lambdaLeftMs()),
    callDeadlineMs: (preferredMs) => Math.min(preferredMs, lambdaLeftMs()),
  };
}

/** A pause the caller can cut short (a run that stops waiting once its followers are done). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}
