/** Runs `work` when fewer than the limit's maximum are running; the rest wait their turn, in order. */
export type ConcurrencyLimit = <T>(work: () => Promise<T>) => Promise<T>;

export function concurrencyLimit(max: number): ConcurrencyLimit {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (running < max) running++;
    // A finishing task hands its place straight to the next in line, so `running` stays counted.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/** No limit: for a kick, which follows one request. */
export const unlimited: ConcurrencyLimit = (work) => work();
