import { describe, expect, it } from 'vitest';
import type { Transition } from '../../src/domain/lifecycle';
import type { InvalidationRequest } from '../../src/domain/request';
import { batchCounts, batchToSubmit } from '../../src/domain/request-batches';
import { recordCheck } from '../../src/domain/status-checks';
import { claimForSubmission, deferSubmission, recordSubmission } from '../../src/domain/submission';
import { prng } from '../support/prng';
import { invalidationRequest, later, MINUTE, T0 } from '../support/request-fixtures';

/** The lifecycle of a request split into batches (domain/batches): submitted one by one, COMPLETED when all are. */

const timing = { stillInProgressAfterMs: 5 * MINUTE };
const SCHEDULE = { maxIntervalMs: 10_000 };
const paths = (n: number) => Array.from({ length: n }, (_, i) => `/p${i}`);

function ok(t: Transition): InvalidationRequest {
  if (!t.ok) throw new Error(`refused: ${JSON.stringify(t.refusal)}`);
  return t.request;
}

function approved(n: number): InvalidationRequest {
  return invalidationRequest({
    status: 'APPROVED',
    paths: paths(n),
    wildcardCount: 0,
    approvedAt: T0.toISOString(),
    nextAttemptAt: T0.toISOString(),
    outbox: [],
  });
}

describe('a request of 7,000 paths', () => {
  it('goes batch by batch: submit 1, complete 1, submit 2, …, COMPLETED only after batch 3', () => {
    let r = approved(7000);
    let now = T0;
    const kinds: string[][] = [];
    for (let n = 1; n <= 3; n++) {
      expect(batchToSubmit(r)?.number).toBe(n);
      r = ok(claimForSubmission(r, now));
      r = ok(recordSubmission(r, { invalidationId: `I${n}`, status: 'InProgress' }, now, SCHEDULE, n));
      expect(r.status).toBe('SUBMITTED');
      kinds.push(r.outbox.map((x) => x.kind));
      // While batch n runs, no further batch fits the in-progress budget.
      expect(batchToSubmit(r)).toBeUndefined();
      expect(claimForSubmission(r, later(MINUTE, now)).ok).toBe(false);
      now = later(MINUTE, now);
      r = ok(recordCheck(r, [{ number: n, status: 'Completed' }], now, timing));
      expect(r.status).toBe(n < 3 ? 'SUBMITTED' : 'COMPLETED');
      if (n < 3) expect(r.nextAttemptAt).toBe(now.toISOString());
      r = { ...r, outbox: [] };
    }
    expect(r.batches?.map((b) => [b.number, b.invalidationId, b.status])).toEqual([
      [1, 'I1', 'Completed'],
      [2, 'I2', 'Completed'],
      [3, 'I3', 'Completed'],
    ]);
    // The first invalidation stays the request's; only batch 1 is announced in the thread.
    expect(r.invalidationId).toBe('I1');
    expect(kinds).toEqual([['submitted', 'card'], ['card'], ['card']]);
    expect(batchCounts(r)).toEqual({ total: 3, submitted: 3, completed: 3 });
  });

  it('refuses to record a batch out of turn', () => {
    const r = approved(7000);
    const first = ok(recordSubmission(r, { invalidationId: 'I1', status: 'InProgress' }, T0, SCHEDULE, 1));
    expect(recordSubmission(first, { invalidationId: 'I3', status: 'InProgress' }, T0, SCHEDULE, 3).ok).toBe(
      false,
    );
  });

  it('a later batch deferred by TooManyInvalidationsInProgress waits with back-off and stays SUBMITTED', () => {
    let r = approved(3001);
    r = ok(recordSubmission(r, { invalidationId: 'I1', status: 'InProgress' }, T0, SCHEDULE, 1));
    r = ok(recordCheck(r, 'Completed', later(MINUTE), timing));
    expect(r.status).toBe('SUBMITTED');
    const deferred = ok(
      deferSubmission(r, { code: 'TooManyInvalidationsInProgress', message: 'busy' }, later(MINUTE)),
    );
    expect(deferred.status).toBe('SUBMITTED');
    expect(Date.parse(deferred.nextAttemptAt ?? '')).toBeGreaterThan(later(MINUTE).getTime());
    expect(batchToSubmit(deferred)?.number).toBe(2);
  });

  it('a request of one batch completes on its first Completed, as before batches', () => {
    let r = approved(2);
    r = ok(recordSubmission(r, { invalidationId: 'I1', status: 'InProgress' }, T0, SCHEDULE));
    r = ok(recordCheck(r, 'Completed', later(MINUTE), timing));
    expect(r.status).toBe('COMPLETED');
    expect(r.cloudFrontStatus).toBe('Completed');
  });

  it('a request submitted before batches were recorded is followed as its one invalidation', () => {
    const legacy = invalidationRequest({
      status: 'SUBMITTED',
      invalidationId: 'IOLD',
      cloudFrontStatus: 'InProgress',
      submittedAt: T0.toISOString(),
      outbox: [],
    });
    const done = ok(recordCheck(legacy, 'Completed', later(MINUTE), timing));
    expect(done.status).toBe('COMPLETED');
    expect(done.batches?.[0]).toMatchObject({ number: 1, invalidationId: 'IOLD', status: 'Completed' });
  });

  it('property: whatever order CloudFront completes small side-by-side batches in, COMPLETED comes exactly when the last does', () => {
    const next = prng(2026);
    for (let run = 0; run < 100; run++) {
      // 15 wildcards per batch, 2–5 batches: small batches run side by side only within the 15-wildcard budget.
      const count = 2 + Math.floor(next() * 4);
      const items = Array.from({ length: count * 15 }, (_, i) => `/w${i}/*`);
      let r = invalidationRequest({
        status: 'APPROVED',
        paths: items,
        wildcardCount: items.length,
        outbox: [],
      });
      let now = T0;
      let completed = 0;
      for (let step = 0; step < 50 && r.status !== 'COMPLETED'; step++) {
        now = later(1000, now);
        const batch = batchToSubmit(r);
        if (batch !== undefined && next() < 0.6) {
          r = ok(
            recordSubmission(
              r,
              { invalidationId: `I${batch.number}`, status: 'InProgress' },
              now,
              SCHEDULE,
              batch.number,
            ),
          );
          continue;
        }
        const running = (r.batches ?? []).filter((b) => b.status !== 'Completed');
        if (running.length === 0) continue;
        const done = running[Math.floor(next() * running.length)];
        if (done === undefined) continue;
        r = ok(recordCheck(r, [{ number: done.number, status: 'Completed' }], now, timing));
        completed++;
        expect(r.status).toBe(completed === count ? 'COMPLETED' : 'SUBMITTED');
        // Never more than 15 wildcards in progress.
        const inProgress = (r.batches ?? []).filter((b) => b.status !== 'Completed').length;
        expect(inProgress).toBeLessThanOrEqual(1);
      }
      expect(r.status).toBe('COMPLETED');
    }
  });
});
