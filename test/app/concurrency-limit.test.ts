import { describe, expect, it } from 'vitest';
import { concurrencyLimit } from '../../src/app/concurrency-limit';

describe('concurrencyLimit', () => {
  it('runs at most `max` at once, starts the rest in order as places free up, and passes results and errors through', async () => {
    const limit = concurrencyLimit(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const tasks = Array.from({ length: 8 }, (_, i) =>
      limit(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        if (i === 5) throw new Error('task 5 failed');
        return i * 10;
      }),
    );
    const settled = Promise.allSettled(tasks);
    for (let round = 0; round < 8; round++) {
      await new Promise((r) => setImmediate(r));
      releases.shift()?.();
    }
    const results = await settled;
    expect(most).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([
      0,
      10,
      20,
      30,
      40,
      'failed',
      60,
      70,
    ]);
    // A failed task gives its place back too: the limit is free again.
    expect(await limit(async () => 'again')).toBe('again');
  });
});
