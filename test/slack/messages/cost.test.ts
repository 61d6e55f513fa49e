import { describe, expect, it } from 'vitest';
import { describeCost, formatUsd } from '../../../src/slack/messages/cost';

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
