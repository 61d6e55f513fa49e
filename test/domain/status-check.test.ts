import { describe, expect, it } from 'vitest';
import {
  CHECK_STEP_MS,
  checkIntervalMs,
  checkOffsetsMs,
  FIRST_CHECK_MS,
  firstCheckAt,
  MIN_CHECK_GAP_MS,
  nextCheckAt,
} from '../../src/domain/check-schedule';
import type { Transition } from '../../src/domain/lifecycle';
import type { InvalidationRequest } from '../../src/domain/request';
import { CARD_REFRESH_MS, type CheckTiming, claimCheck, recordCheck } from '../../src/domain/status-checks';
import { prng } from '../support/prng';
import { invalidationRequest, later, MINUTE, T0 } from '../support/request-fixtures';

/** The status-check timetable and the two steps of a check: claiming its slot, recording the answer. */

const SCHEDULE = { maxIntervalMs: 10_000 };
const TIMING: CheckTiming = { stillInProgressAfterMs: 5 * MINUTE };

function ok(t: Transition): InvalidationRequest {
  if (!t.ok) throw new Error(`expected a transition, got refusal ${JSON.stringify(t.refusal)}`);
  return t.request;
}

function refusalCode(t: Transition): string {
  if (t.ok) throw new Error(`expected a refusal, got a transition to ${t.request.status}`);
  return t.refusal.code;
}

/** Submitted at T0, as recordSubmission leaves it: first check booked 2 s on. */
function submitted(overrides: Partial<InvalidationRequest> = {}): InvalidationRequest {
  return invalidationRequest({
    status: 'SUBMITTED',
    version: 5,
    approvedAt: T0.toISOString(),
    invalidationId: 'I2J0I21PCUYOIK',
    cloudFrontStatus: 'InProgress',
    submittedAt: T0.toISOString(),
    nextAttemptAt: later(2_000).toISOString(),
    outbox: [],
    ...overrides,
  });
}

describe('check timetable', () => {
  it('starts 2 s after submission and grows by half a second a check', () => {
    expect(FIRST_CHECK_MS).toBe(2_000);
    expect(CHECK_STEP_MS).toBe(500);
    // Written out by hand: pauses 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6 s.
    expect(checkOffsetsMs(9, SCHEDULE)).toEqual([
      2_000, 4_500, 7_500, 11_000, 15_000, 19_500, 24_500, 30_000, 36_000,
    ]);
  });

  it.each([
    [1, 10_000, 2_000],
    [2, 10_000, 2_500],
    [17, 10_000, 10_000],
    [100, 10_000, 10_000],
    [1, 1_000, 1_000],
    [5, 3_000, 3_000],
    [1, 10, 10],
    [3, 10, 10],
  ])('check %i with a %i ms cap waits %i ms', (n, cap, pause) => {
    expect(checkIntervalMs(n, { maxIntervalMs: cap })).toBe(pause);
  });

  it('first check: 2 s after submission, or the cap when it is shorter', () => {
    expect(firstCheckAt(T0, SCHEDULE)).toEqual(later(2_000));
    expect(firstCheckAt(T0, { maxIntervalMs: 50 })).toEqual(later(50));
  });

  it.each([
    ['on time at the first slot', 2_000, 4_500],
    ['on time at the fourth slot', 11_000, 15_000],
    ['late, but well before the next slot', 14_000, 15_000],
    ['so late the next slot is under 0.5 s away: skips it', 14_600, 19_500],
    ['before the first slot (a clock a little behind)', 500, 2_000],
    ['long after: on the cap grid', 10 * MINUTE + 3_000, null],
  ])('%s: a check at +%i ms books the slot at +%s ms', (_label, atMs, expected) => {
    const next = nextCheckAt(T0, later(atMs), SCHEDULE).getTime() - T0.getTime();
    if (expected !== null) expect(next).toBe(expected);
    // Always a slot of the timetable, at least the minimum gap away.
    const slots = checkOffsetsMs(200, SCHEDULE);
    const index = slots.indexOf(next);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(next - atMs).toBeGreaterThanOrEqual(MIN_CHECK_GAP_MS);
    // And the earliest such slot.
    const previous = slots[index - 1];
    if (previous !== undefined) expect(previous - atMs).toBeLessThan(MIN_CHECK_GAP_MS);
  });

  it('with a short cap the gap is half a pause: a check 10 ms late on a 50 ms grid books the next slot', () => {
    const short = { maxIntervalMs: 50 };
    expect(nextCheckAt(T0, later(110), short)).toEqual(later(150));
    expect(nextCheckAt(T0, later(130), short)).toEqual(later(200));
  });

  it('property: checks made on time walk the timetable slot by slot, for any cap', () => {
    const rand = prng(7);
    for (let run = 0; run < 50; run++) {
      const schedule = { maxIntervalMs: 10 + Math.floor(rand() * 20_000) };
      const expected = checkOffsetsMs(40, schedule);
      let at = firstCheckAt(T0, schedule).getTime() - T0.getTime();
      const walked = [at];
      while (walked.length < 40) {
        at = nextCheckAt(T0, later(at), schedule).getTime() - T0.getTime();
        walked.push(at);
      }
      expect(walked).toEqual(expected);
    }
  });
});

describe('claimCheck', () => {
  it('books the next slot before CloudFront is asked: one bump, no event, no notice', () => {
    const request = submitted();
    const t = claimCheck(request, later(2_000), SCHEDULE);
    const claimed = ok(t);
    expect(claimed.nextAttemptAt).toBe(later(4_500).toISOString());
    expect(claimed.version).toBe(request.version + 1);
    expect(claimed.status).toBe('SUBMITTED');
    expect(claimed.outbox).toEqual([]);
    expect(t.ok && t.events).toEqual([]);
    expect(claimed.lastCheckedAt).toBeUndefined();
  });

  it('refuses before the slot, and a second claimer of the same slot', () => {
    const request = submitted();
    expect(refusalCode(claimCheck(request, later(1_999), SCHEDULE))).toBe('not-due');
    const claimed = ok(claimCheck(request, later(2_000), SCHEDULE));
    // What a loser sees on its re-read: the slot is taken until the next one.
    expect(refusalCode(claimCheck(claimed, later(2_001), SCHEDULE))).toBe('not-due');
    expect(ok(claimCheck(claimed, later(4_500), SCHEDULE)).nextAttemptAt).toBe(later(7_500).toISOString());
  });

  it.each(['APPROVED', 'COMPLETED', 'FAILED', 'PENDING'] as const)('refuses a request %s', (status) => {
    expect(refusalCode(claimCheck(submitted({ status }), later(2_000), SCHEDULE))).toBe('wrong-status');
  });
});

describe('recordCheck', () => {
  it('Completed: COMPLETED, thread and requester told, nothing more due', () => {
    const now = later(40_000);
    const t = recordCheck(submitted(), 'Completed', now, TIMING);
    const request = ok(t);
    expect(request).toMatchObject({
      status: 'COMPLETED',
      cloudFrontStatus: 'Completed',
      lastCheckedAt: now.toISOString(),
      completedAt: now.toISOString(),
    });
    expect(request.nextAttemptAt).toBeUndefined();
    expect(request.outbox.map((n) => n.kind)).toEqual(['completed', 'requester-completed', 'card']);
    expect(t.ok && t.events[0]).toMatchObject({ fromStatus: 'SUBMITTED', toStatus: 'COMPLETED' });
  });

  it('the same InProgress again, within a minute of the last refresh: nothing to write', () => {
    expect(refusalCode(recordCheck(submitted(), 'InProgress', later(20_000), TIMING))).toBe('no-change');
    const refreshed = submitted({ lastCheckedAt: later(50_000).toISOString() });
    expect(refusalCode(recordCheck(refreshed, 'InProgress', later(109_999), TIMING))).toBe('no-change');
  });

  it('InProgress a minute after the last refresh: recorded, card refreshed, slot left alone', () => {
    const request = submitted({ nextAttemptAt: later(66_000).toISOString() });
    const now = later(CARD_REFRESH_MS);
    const t = recordCheck(request, 'InProgress', now, TIMING);
    const next = ok(t);
    expect(next.lastCheckedAt).toBe(now.toISOString());
    expect(next.nextAttemptAt).toBe(request.nextAttemptAt);
    expect(next.outbox.map((n) => n.kind)).toEqual(['card']);
    expect(t.ok && t.events[0]).toMatchObject({ action: 'checked', detail: 'InProgress' });
  });

  it('a status CloudFront had not reported before is recorded', () => {
    const next = ok(recordCheck(submitted(), 'Throttled-Unknown', later(5_000), TIMING));
    expect(next.cloudFrontStatus).toBe('Throttled-Unknown');
  });

  it('says "still in progress" exactly once, at the first check past the threshold', () => {
    let request = submitted();
    const written: string[] = [];
    for (const offset of checkOffsetsMs(60, SCHEDULE)) {
      const claimed = ok(claimCheck(request, later(offset), SCHEDULE));
      const t = recordCheck(claimed, 'InProgress', later(offset), TIMING);
      request = t.ok ? t.request : claimed;
      if (t.ok) written.push(`${offset}`);
    }
    const still = request.outbox.filter((n) => n.kind === 'still-in-progress');
    expect(still).toHaveLength(1);
    const firstPast = checkOffsetsMs(60, SCHEDULE).find((o) => o >= TIMING.stillInProgressAfterMs);
    expect(still[0]?.createdAt).toBe(later(firstPast ?? 0).toISOString());
    // Written about once a minute (the card), not at every check of the 60.
    expect(written.length).toBeLessThanOrEqual(Math.ceil((60 * 10_000) / CARD_REFRESH_MS) + 1);
    expect(written.length).toBeGreaterThan(3);
  });

  it.each(['COMPLETED', 'FAILED'] as const)(
    'refuses a request already %s (another run recorded first)',
    (status) => {
      expect(refusalCode(recordCheck(submitted({ status }), 'Completed', later(3_000), TIMING))).toBe(
        'wrong-status',
      );
    },
  );
});
