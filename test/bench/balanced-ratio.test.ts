import { describe, expect, it } from 'vitest';
import { balancedRatio, type ColdSample, type ColdStarts } from '../../bench/cold';

const sample = (totalMs: number): ColdSample => ({
  requireMs: totalMs,
  firstInvokeMs: 0,
  totalMs,
  statusCode: 200,
  answeredChallenge: true,
  bodyLength: 0,
});

/** Starts as bench/cold.ts makes them: pair i runs real first when i is even, bare first when odd. */
function starts(
  trueRatio: number,
  bareMs: (pair: number, position: 0 | 1) => number,
  pairs = 21,
): ColdStarts {
  const result: ColdStarts = { real: [], bare: [] };
  for (let i = 0; i < pairs; i++) {
    const realFirst = i % 2 === 0;
    result.real.push(sample(trueRatio * bareMs(i, realFirst ? 0 : 1)));
    result.bare.push(sample(bareMs(i, realFirst ? 1 : 0)));
  }
  return result;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const ratioOfMedians = (c: ColdStarts) =>
  median(c.real.map((s) => s.totalMs)) / median(c.bare.map((s) => s.totalMs));

describe('balancedRatio', () => {
  it('finds the true ratio when the first start of each pair is slower than the second', () => {
    const c = starts(1.2, (_, position) => (position === 0 ? 165 : 130));
    expect(balancedRatio(c)).toBeCloseTo(1.2, 6);
    // The estimator it replaces lands each median in a different speed here.
    expect(ratioOfMedians(c)).not.toBeCloseTo(1.2, 1);
  });

  it('finds the true ratio while the machine speeds up and slows down over the run', () => {
    const c = starts(1.25, (pair) => 110 * (1 + 0.3 * Math.sin(pair / 2)));
    expect(balancedRatio(c)).toBeCloseTo(1.25, 2);
  });

  it('is not moved by one start that stalled', () => {
    const c = starts(1.2, () => 120);
    const stalled = c.real[4];
    if (stalled) stalled.totalMs = 900;
    expect(balancedRatio(c)).toBeCloseTo(1.2, 6);
  });
});
