import { describe, expect, it } from 'vitest';
import type { InvalidationRequest } from '../../src/domain/request';
import { type Bot, dmsTo, quickRequest, storedRequest, storeOf, threadReplies, USERS } from '../support/bot';
import type { FakeCall } from '../support/cloudfront-fake';
import { liveFollowing, repliesMatching, scheduledRun } from '../support/poller-steps';
import { useBots } from '../support/use-bots';

/**
 * Following in-flight invalidations through the real poller handler: the check
 * timetable, a hung or late GetInvalidation, and overlapping runs.
 */

const start = useBots();

/** A request submitted to CloudFront (by the Slack handler, or by a first poller run when it only recorded it). */
async function submittedRequest(
  b: Bot,
  text: string,
  user: string = USERS.alice,
): Promise<InvalidationRequest> {
  const created = await quickRequest(b, user, text);
  if (created.status === 'SUBMITTED') return created;
  await b.poll();
  const request = await storedRequest(b, created.id);
  if (request.status !== 'SUBMITTED') throw new Error(`${created.id} is ${request.status}, not submitted`);
  return request;
}

function checksOf(b: Bot, request: InvalidationRequest): FakeCall[] {
  return b.cloudfront.state
    .callsOf('GetInvalidation')
    .filter((c) => c.invalidationId === request.invalidationId);
}

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('poller: the check timetable', () => {
  it('checks 2 s after submission, then at pauses growing by half a second; one write per unchanged check', async () => {
    const b = await start({
      countDynamoCalls: true,
      cloudfrontOnBotClock: true,
      // Completed from 26 s after creation: the 30 s check is the first to say so.
      completeAfterMs: 26_000,
      env: { POLL_INTERVAL_MS: '10000', POLL_BUDGET_MS: '0' },
    });
    const request = await submittedRequest(b, 'staging /a');
    const submittedAt = Date.parse(request.submittedAt ?? '');
    const cardTs = request.cardTs ?? '';
    const repliesBefore = threadReplies(b, request.channel, cardTs).length;
    const cardUpdatesBefore = b.slackApi.calls('chat.update').length;

    // Scheduled runs every 500 ms of the bot's clock, for 40 s: the timetable decides which ones check.
    const writesPerCheck: string[][] = [];
    for (let t = 500; t <= 40_000; t += 500) {
      b.clock.advance(500);
      b.dynamoCalls?.clear();
      const before = checksOf(b, request).length;
      await b.poll();
      if (
        checksOf(b, request).length > before &&
        (await storedRequest(b, request.id)).status === 'SUBMITTED'
      ) {
        writesPerCheck.push(b.dynamoCalls?.operations() ?? []);
      }
    }

    const offsets = checksOf(b, request).map((c) => (c.at?.getTime() ?? 0) - submittedAt);
    expect(offsets).toEqual([2_000, 4_500, 7_500, 11_000, 15_000, 19_500, 24_500, 30_000]);
    // An InProgress answer that changes nothing costs the claim only: the due-list Query and one PutItem.
    expect(writesPerCheck).toHaveLength(7);
    for (const ops of writesPerCheck) expect(ops).toEqual(['Query', 'PutItem']);
    // Nothing was posted for those checks; completion was, once.
    const done = await storedRequest(b, request.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.completedAt).toBe(new Date(submittedAt + 30_000).toISOString());
    const replies = threadReplies(b, request.channel, cardTs).slice(repliesBefore);
    expect(replies.map((c) => String(c.args.text).split(' ')[0])).toEqual([':white_check_mark:']);
    expect(b.slackApi.calls('chat.update').length - cardUpdatesBefore).toBe(1);
  });
});

describe('poller: a GetInvalidation that never answers', () => {
  it('is given up at its deadline, while the other requests of the run are checked and completed', async () => {
    const b = await start(liveFollowing({ completeAfterChecks: 1 }));
    const hung = await submittedRequest(b, 'staging /hung');
    const others = [
      await submittedRequest(b, 'staging /one', USERS.bob),
      await submittedRequest(b, 'staging /two', USERS.carol),
      await submittedRequest(b, 'staging /three', USERS.dave),
    ];
    b.cloudfront.delay({
      operation: 'GetInvalidation',
      invalidationId: hung.invalidationId,
      ms: Number.POSITIVE_INFINITY,
      times: Number.POSITIVE_INFINITY,
    });

    await scheduledRun(b, 2_000)();

    // The others: InProgress, then Completed, all told, while the hung call was still open.
    for (const other of others) {
      expect((await storedRequest(b, other.id)).status).toBe('COMPLETED');
      expect(checksOf(b, other).map((c) => c.status)).toEqual([200, 200]);
      expect(repliesMatching(b, other, /Completed/)).toHaveLength(1);
    }
    expect(dmsTo(b, USERS.bob)).toHaveLength(1);
    expect(dmsTo(b, USERS.carol)).toHaveLength(1);
    expect(dmsTo(b, USERS.dave)).toHaveLength(1);
    // The hung check: the bot hung up on it (recorded by the fake when the caller left), once.
    const hungChecks = checksOf(b, hung);
    expect(hungChecks).toEqual([expect.objectContaining({ status: 0, abandoned: true })]);
    const abandonedAt = b.cloudfront.state.calls.indexOf(hungChecks[0] as FakeCall);
    const lastOtherAnswer = Math.max(
      ...others.flatMap((o) => checksOf(b, o).map((c) => b.cloudfront.state.calls.indexOf(c))),
    );
    expect(lastOtherAnswer).toBeLessThan(abandonedAt);
    // It stays submitted, due at its next slot, with nothing said in its thread.
    const after = await storedRequest(b, hung.id);
    expect(after.status).toBe('SUBMITTED');
    expect(after.nextAttemptAt).toBeDefined();
    expect(repliesMatching(b, hung, /Completed/)).toHaveLength(0);
    expect(dmsTo(b, USERS.alice)).toHaveLength(0);
  });
});

describe('poller: a GetInvalidation that answers after the bot gave up', () => {
  it('ignores the late answer; the next check records completion once', async () => {
    const b = await start(liveFollowing({ cloudfrontOnBotClock: true, completeAfterChecks: 0 }));
    const request = await submittedRequest(b, 'staging /late');
    // The first check's answer (already Completed) comes 3.5 s late, past the bot's 3 s deadline.
    b.cloudfront.delay({ operation: 'GetInvalidation', invalidationId: request.invalidationId, ms: 3_500 });

    await scheduledRun(b, 8_000)();
    await waitUntil(() => checksOf(b, request).some((c) => c.abandoned), 'the late answer');

    const checks = checksOf(b, request);
    expect(checks).toHaveLength(2);
    const late = checks.find((c) => c.abandoned);
    const answered = checks.find((c) => !c.abandoned);
    expect(late?.status).toBe(200);
    expect(answered?.status).toBe(200);
    // Recorded from the answer the bot waited for, which it asked for after giving up on the first.
    expect((late?.at?.getTime() ?? 0) < (answered?.at?.getTime() ?? 0)).toBe(true);
    const done = await storedRequest(b, request.id);
    expect(done.status).toBe('COMPLETED');
    expect(Date.parse(done.completedAt ?? '')).toBeGreaterThanOrEqual(answered?.at?.getTime() ?? 0);
    expect(repliesMatching(b, request, /Completed/)).toHaveLength(1);
    expect(dmsTo(b, USERS.alice)).toHaveLength(1);
    const events = await storeOf(b).listEvents(request.id);
    expect(events.filter((e) => e.action === 'completed')).toHaveLength(1);
  });
});

describe('poller: overlapping runs', () => {
  it('three runs at once make one GetInvalidation per slot, and tell Slack once', async () => {
    const b = await start(
      // Slots far enough apart that a check is recorded before the next one comes due.
      liveFollowing({ completeAfterChecks: 4, env: { POLL_INTERVAL_MS: '300' } }),
    );
    const requests = [
      await submittedRequest(b, 'staging /a'),
      await submittedRequest(b, 'staging /b', USERS.bob),
      await submittedRequest(b, 'staging /c', USERS.carol),
    ];
    const runs = [1, 2, 3].map(() => scheduledRun(b, 6_000));

    await Promise.all(runs.map((run) => run()));

    for (const request of requests) {
      // Four InProgress answers, then Completed: five slots, five calls, whichever run won each.
      expect(checksOf(b, request).map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
      expect((await storedRequest(b, request.id)).status).toBe('COMPLETED');
      expect(repliesMatching(b, request, /Completed/)).toHaveLength(1);
    }
    for (const user of [USERS.alice, USERS.bob, USERS.carol]) expect(dmsTo(b, user)).toHaveLength(1);
  });
});
