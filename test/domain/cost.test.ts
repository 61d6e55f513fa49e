import { describe, expect, it } from 'vitest';
import { describeCost, estimateCost, FREE_PATHS_PER_MONTH, formatUsd } from '../../src/domain/cost';

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

describe('formatUsd', () => {
  it.each([
    [0, '$0.00'],
    [1.25, '$1.25'],
    [10, '$10.00'],
    [0.05, '$0.05'],
    [0.005, '$0.005'],
    [0.015, '$0.015'],
    [0.1 + 0.2, '$0.30'],
    [1234.5, '$1,234.50'],
    [4995, '$4,995.00'],
    [1_000_000, '$1,000,000.00'],
  ])('%s → %s', (usd, text) => {
    expect(formatUsd(usd)).toBe(text);
  });

  it.each([-0.01, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s', (usd) => {
    expect(() => formatUsd(usd)).toThrow(RangeError);
  });
});

describe('describeCost', () => {
  it.each([
    [10, 'free within the 1,000 free paths/month; $0.05 if the allowance is used up'],
    [1, 'free within the 1,000 free paths/month; $0.005 if the allowance is used up'],
    [1000, 'free within the 1,000 free paths/month; $5.00 if the allowance is used up'],
    [1001, 'at least $0.005 (1 path beyond the 1,000 free paths/month); $5.005 if the allowance is used up'],
    [1200, 'at least $1.00 (200 paths beyond the 1,000 free paths/month); $6.00 if the allowance is used up'],
    [
      3000,
      'at least $10.00 (2,000 paths beyond the 1,000 free paths/month); $15.00 if the allowance is used up',
    ],
  ])('%i paths: %s', (paths, text) => {
    expect(describeCost(paths)).toBe(text);
  });
});
