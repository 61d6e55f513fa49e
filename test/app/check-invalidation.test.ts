import { describe, expect, it } from 'vitest';
import { checkInvalidation } from '../../src/app/check-invalidation';
import { quickRequest, storedRequest, USERS } from '../support/bot';
import { useBots } from '../support/use-bots';
import { pollerDeps } from './app-deps';

/** One status check on dynalite and the CloudFront fake: the claimed slot, the deadline, the answer. */

const start = useBots();

describe('checkInvalidation', () => {
  it('two checks of one due request at once: one claims the slot and calls CloudFront, the other stands down', async () => {
    const b = await start({ completeAfterChecks: 5, env: { POLL_INTERVAL_MS: '10000' } });
    const request = await quickRequest(b, USERS.alice, 'staging /a');
    expect(request.status).toBe('SUBMITTED');
    b.clock.advance(2_000);
    const deps = pollerDeps(b);
    const other = pollerDeps(b);

    const results = await Promise.all([checkInvalidation(deps, request), checkInvalidation(other, request)]);

    expect(results.map((r) => r.outcome).sort()).toEqual(['in-progress', 'skipped']);
    expect(b.cloudfront.state.callsOf('GetInvalidation')).toHaveLength(1);
    const stored = await storedRequest(b, request.id);
    // The winner booked the next slot of the timetable: 2 s + 2.5 s after submission.
    expect(Date.parse(stored.nextAttemptAt ?? '') - Date.parse(stored.submittedAt ?? '')).toBe(4_500);
    // The loser handed back the fresh copy: not due before that slot.
    const loser = results.find((r) => r.outcome === 'skipped');
    expect(loser?.request?.nextAttemptAt).toBe(stored.nextAttemptAt);
  });

  it('before its slot: no write, no call', async () => {
    const b = await start({ completeAfterChecks: 5, env: { POLL_INTERVAL_MS: '10000' } });
    const request = await quickRequest(b, USERS.alice, 'staging /a');
    b.clock.advance(1_999);
    const result = await checkInvalidation(pollerDeps(b), request);
    expect(result.outcome).toBe('skipped');
    expect(b.cloudfront.state.callsOf('GetInvalidation')).toHaveLength(0);
    expect((await storedRequest(b, request.id)).version).toBe(request.version);
  });

  it('a call past its deadline is aborted and transient: the request waits for its booked slot', async () => {
    const b = await start({ completeAfterChecks: 0, env: { POLL_INTERVAL_MS: '10000' } });
    const request = await quickRequest(b, USERS.alice, 'staging /a');
    b.clock.advance(2_000);
    b.cloudfront.delay({ operation: 'GetInvalidation', ms: Number.POSITIVE_INFINITY });

    const result = await checkInvalidation(pollerDeps(b), request, { deadlineMs: 200 });

    expect(result.outcome).toBe('retry');
    const stored = await storedRequest(b, request.id);
    expect(stored.status).toBe('SUBMITTED');
    expect(Date.parse(stored.nextAttemptAt ?? '') - Date.parse(stored.submittedAt ?? '')).toBe(4_500);
    // The SDK gave up once, without a retry of its own.
    for (let i = 0; i < 40 && b.cloudfront.state.callsOf('GetInvalidation').length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(b.cloudfront.state.callsOf('GetInvalidation')).toEqual([
      expect.objectContaining({ status: 0, abandoned: true }),
    ]);
  });

  it('an invalidation CloudFront no longer knows fails the request, and the requester is told', async () => {
    const b = await start({ env: { POLL_INTERVAL_MS: '10000' } });
    const request = await quickRequest(b, USERS.alice, 'staging /a');
    b.clock.advance(2_000);
    b.cloudfront.inject({ operation: 'GetInvalidation', code: 'NoSuchInvalidation' });
    const result = await checkInvalidation(pollerDeps(b), request);
    expect(result.outcome).toBe('failed');
    const stored = await storedRequest(b, request.id);
    expect(stored.status).toBe('FAILED');
    expect(stored.lastError).toContain('NoSuchInvalidation');
    expect(stored.outbox.map((n) => n.kind)).toContain('requester-failed');
  });
});
