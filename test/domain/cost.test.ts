import { describe, expect, it } from 'vitest';
import { estimateCost, FREE_PATHS_PER_MONTH } from '../../src/domain/cost';

describe('estimateCost', () => {
  it.each([
    // pathCount, usedThisMonth, billablePaths, usd
    [0, 0, 0, 0],
    [1, 0, 0, 0],
    [1000, 0, 0, 0],
    [1001, 0, 1, 0.005],
    [1003, 0, 3, 0.015],
    [1200, 0, 200, 1],
    [3000, 0, 2000, 10],
    [10, 995, 5, 0.025],
    [10, 1000, 10, 0.05],
    [10, 50_000, 10, 0.05],
    [7, 1000, 7, 0.035],
    [1_000_000, 0, 999_000, 4995],
  ])('%i paths with %i used this month: %i billable, $%s', (paths, used, billable, usd) => {
    expect(estimateCost(paths, used)).toEqual({ billablePaths: billable, usd });
  });

  it('has no floating-point artefacts for any count up to 3,000 billable paths', () => {
    for (let n = 0; n <= 3000; n++) {
      const { usd } = estimateCost(n, FREE_PATHS_PER_MONTH);
      // Half a cent per path: the amount has at most three decimals and is exact to them.
      expect(Number(usd.toFixed(3))).toBe(usd);
      expect(Math.round(usd * 1000)).toBe(n * 5);
    }
  });

  it.each([
    [-1, 0],
    [1.5, 0],
    [Number.NaN, 0],
    [10, -5],
    [10, Number.POSITIVE_INFINITY],
  ])('rejects %s paths with %s used', (paths, used) => {
    expect(() => estimateCost(paths, used)).toThrow(RangeError);
  });
});
