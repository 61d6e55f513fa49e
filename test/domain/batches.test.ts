import { describe, expect, it } from 'vitest';
import {
  allBatchesDone,
  BATCH_LIMITS,
  type BatchProgress,
  batchItems,
  callerReference,
  nextBatch,
  planBatches,
} from '../../src/domain/batches';
import { prng } from '../support/prng';

const paths = (n: number, prefix = '/p') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const wild = (n: number) => Array.from({ length: n }, (_, i) => `/w${i}/*`);

describe('planBatches', () => {
  it.each([
    ['no items', [], []],
    ['one path', paths(1), [[1, 0]]],
    ['exactly 3,000 paths: one batch', paths(3000), [[3000, 0]]],
    [
      '3,001 paths: two batches',
      paths(3001),
      [
        [3000, 0],
        [1, 0],
      ],
    ],
    [
      '10,000 paths: four batches',
      paths(10_000),
      [
        [3000, 0],
        [3000, 0],
        [3000, 0],
        [1000, 0],
      ],
    ],
    ['15 wildcards: one batch', wild(15), [[15, 15]]],
    [
      '16 wildcards: two batches',
      wild(16),
      [
        [15, 15],
        [1, 1],
      ],
    ],
    [
      'tags count as items, not wildcards',
      [...paths(2999), '#a', '#b'],
      [
        [3000, 0],
        [1, 0],
      ],
    ],
    [
      'a wildcard-dense list mixed with paths',
      [...wild(20), ...paths(10)],
      [
        [15, 15],
        [15, 5],
      ],
    ],
  ])('%s', (_name, items, expected) => {
    expect(planBatches(items).map((b) => [b.end - b.start, b.wildcards])).toEqual(expected);
  });

  it('property: the batches cover the items in order, each within CloudFront’s limits, none avoidably small', () => {
    const next = prng(31337);
    for (let run = 0; run < 60; run++) {
      const n = Math.floor(next() * 8000);
      const items = Array.from({ length: n }, (_, i) => {
        const r = next();
        return r < 0.01 ? `/w${i}*` : r < 0.05 ? `#t${i}` : `/p${i}`;
      });
      const plan = planBatches(items);
      expect(plan.flatMap((b) => batchItems(items, b))).toEqual(items);
      plan.forEach((b, i) => {
        expect(b.number).toBe(i + 1);
        const these = batchItems(items, b);
        expect(these.length).toBeGreaterThan(0);
        expect(these.length).toBeLessThanOrEqual(BATCH_LIMITS.maxItems);
        expect(these.filter((x) => x.startsWith('/') && x.endsWith('*'))).toHaveLength(b.wildcards);
        expect(b.wildcards).toBeLessThanOrEqual(BATCH_LIMITS.maxWildcards);
        // Greedy: a batch only closes because the next item would not fit.
        const following = items[b.end];
        if (i < plan.length - 1 && following !== undefined) {
          const full = these.length === BATCH_LIMITS.maxItems;
          const wildFull = b.wildcards === BATCH_LIMITS.maxWildcards && following.endsWith('*');
          expect(full || wildFull).toBe(true);
        }
      });
      // Deterministic: planning again gives the same batches.
      expect(planBatches(items)).toEqual(plan);
    }
  });
});

describe('callerReference', () => {
  it('batch 1 is the request id, batch n is <id>-<n>', () => {
    expect(callerReference('01JREQ', 1)).toBe('01JREQ');
    expect(callerReference('01JREQ', 2)).toBe('01JREQ-2');
    expect(callerReference('01JREQ', 34)).toBe('01JREQ-34');
  });
});

function progress(number: number, status: 'InProgress' | 'Completed'): BatchProgress {
  return { number, invalidationId: `I${number}`, status, submittedAt: '2026-01-01T00:00:00.000Z' };
}

describe('nextBatch: the in-progress budget', () => {
  it('a full batch waits for the one in progress; once it completes, the next may go', () => {
    const plan = planBatches(paths(7000));
    expect(nextBatch(plan, [])?.number).toBe(1);
    expect(nextBatch(plan, [progress(1, 'InProgress')])).toBeUndefined();
    expect(nextBatch(plan, [progress(1, 'Completed')])?.number).toBe(2);
    expect(
      nextBatch(plan, [progress(1, 'Completed'), progress(2, 'Completed'), progress(3, 'Completed')]),
    ).toBeUndefined();
  });

  it('small batches run side by side while items and wildcards stay within the limits', () => {
    // 20 wildcards then paths: batch 1 = 15 wildcards, batch 2 = 5 wildcards + 10 paths.
    const plan = planBatches([...wild(20), ...paths(10)]);
    expect(nextBatch(plan, [progress(1, 'InProgress')])).toBeUndefined();
    expect(nextBatch(plan, [progress(1, 'Completed')])?.number).toBe(2);
    const two = planBatches([...paths(3000), ...paths(10, '/q')]);
    expect(nextBatch(two, [progress(1, 'InProgress')])).toBeUndefined();
  });

  it('all batches done only when every planned batch completed', () => {
    const plan = planBatches(paths(6001));
    expect(allBatchesDone(plan, [progress(1, 'Completed'), progress(2, 'Completed')])).toBe(false);
    expect(
      allBatchesDone(plan, [progress(1, 'Completed'), progress(2, 'Completed'), progress(3, 'InProgress')]),
    ).toBe(false);
    expect(
      allBatchesDone(plan, [progress(1, 'Completed'), progress(2, 'Completed'), progress(3, 'Completed')]),
    ).toBe(true);
  });
});
