import { describe, expect, it } from 'vitest';
import { editDistance, suggestAliases } from '../../src/domain/alias-suggestions';

describe('suggestAliases', () => {
  const aliases = ['www', 'staging', 'shop', 'shop-eu', 'api'];

  it.each([
    ['wwv', ['www']],
    ['WWWW', ['www']],
    ['stagin', ['staging']],
    ['shop-e', ['shop-eu']],
    ['sh', ['shop', 'shop-eu']],
    ['nosuch', []],
    ['x', []],
  ])('%s → %j', (typed, expected) => {
    expect(suggestAliases(typed, aliases)).toEqual(expected);
  });

  it('suggests at most max, nearest first', () => {
    expect(suggestAliases('shop', ['shop1', 'shop2', 'shop3', 'shop4'], 2)).toEqual(['shop1', 'shop2']);
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['a', '', 1],
    ['kitten', 'sitting', 3],
    ['www', 'wwv', 1],
  ])('%s ↔ %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});
