import { describe, expect, it } from 'vitest';
import { madeOnFirstUse, onFirstUse } from '../../src/shared/on-first-use';

describe('onFirstUse', () => {
  it('shares one load between concurrent first calls, and loads again after a failure', async () => {
    let loads = 0;
    const load = onFirstUse(async () => {
      loads++;
      if (loads === 1) throw new Error('first load fails');
      return loads;
    });
    await expect(Promise.all([load(), load()])).rejects.toThrow('first load fails');
    expect(loads).toBe(1);
    await expect(Promise.all([load(), load()])).resolves.toEqual([2, 2]);
    expect(loads).toBe(2);
  });
});

describe('madeOnFirstUse', () => {
  it('makes nothing until called, then hands out the one it made', () => {
    let made = 0;
    const get = madeOnFirstUse(() => ({ n: ++made }));
    expect(made).toBe(0);
    const first = get();
    expect(get()).toBe(first);
    expect(made).toBe(1);
  });
});
