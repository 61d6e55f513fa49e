import { describe, expect, it } from 'vitest';
import { createPollerHandler } from '../../src/handlers/poller';
import {
  type Bot,
  buttonsOf,
  cardTsOf,
  cardUpdates,
  click,
  dmsTo,
  quickRequest,
  storedRequest,
  storeOf,
  threadReplies,
  USERS,
} from '../support/bot';
import { repliesMatching, storedAfterPoll } from '../support/poller-steps';
import { useBots } from '../support/use-bots';

/** Past the first status check of a request just submitted (the tests' POLL_INTERVAL_MS caps it lower still). */
const FIRST_CHECK_MS = 2_000;

/** Expiry, overlapping poller runs, and Slack pushing back: each notice reaches Slack exactly once. */

const start = useBots();

/** Every successful chat.postMessage, as `channel|thread|text`, to spot a repeat. */
function posts(b: Bot): string[] {
  return b.slackApi
    .calls('chat.postMessage')
    .filter((c) => c.error === undefined)
    .map((c) => `${String(c.args.channel)}|${String(c.args.thread_ts ?? '')}|${String(c.args.text)}`);
}

describe('poller: expiry', () => {
  it('expires an undecided request after requestExpiryMinutes: card without buttons, one thread reply', async () => {
    const b = await start();
    const request = await quickRequest(b, USERS.alice, 'www /a');
    expect(request.status).toBe('PENDING');
    const cardTs = cardTsOf(request);
    const card = b.slackApi.calls('chat.postMessage').find((c) => c.response.ts === cardTs);
    expect(Object.keys(buttonsOf(card?.args.blocks))).toEqual(['approve', 'reject', 'cancel']);

    expect((await storedAfterPoll(b, 59 * 60_000, request.id)).status).toBe('PENDING');

    const expired = await storedAfterPoll(b, 60_000, request.id);
    expect(expired.status).toBe('EXPIRED');
    expect(expired.outbox).toEqual([]);

    const update = cardUpdates(b, cardTs).at(-1);
    expect(String(update?.args.text)).toMatch(/^Expired:/);
    expect(buttonsOf(update?.args.blocks)).toEqual({ request_again: request.id });
    // The requester hears of the end by DM (channel = their user id), with how to ask again.
    const expiredDms = dmsTo(b, USERS.alice).filter((c) => String(c.args.text).includes('expired'));
    expect(expiredDms).toHaveLength(1);
    expect(String(expiredDms[0]?.args.text)).toMatch(/Request again\* on the card or run `\/invalidate www`/);
    const replies = threadReplies(b, request.channel, cardTs);
    expect(replies.map((c) => String(c.args.text)).filter((t) => t.includes('Expired'))).toHaveLength(1);
    expect(b.cloudfront.state.calls).toEqual([]);

    // Too late to approve: the click is refused, nothing is submitted.
    await click(b, USERS.bob, 'approve', expired);
    await b.poll();
    expect((await storedRequest(b, request.id)).status).toBe('EXPIRED');
    expect(b.cloudfront.state.calls).toEqual([]);
    expect(threadReplies(b, request.channel, cardTs)).toHaveLength(replies.length);
  });
});

describe('poller: overlapping runs', () => {
  it('two runs at once send one CreateInvalidation, and no reply or DM twice', async () => {
    const b = await start({ completeAfterChecks: 1 });
    // One request waiting for its submission retry, one submitted and about to complete, one about to expire.
    b.cloudfront.inject({ operation: 'CreateInvalidation', code: 'NetworkError', times: 2 });
    const retrying = await quickRequest(b, USERS.alice, 'staging /retry');
    expect(retrying.status).toBe('APPROVED');
    const submitted = await quickRequest(b, USERS.dave, 'staging /done');
    expect(submitted.status).toBe('SUBMITTED');
    const pending = await quickRequest(b, USERS.eve, 'www /late');
    b.clock.advance(FIRST_CHECK_MS);
    await b.poll(); // the first check of `submitted`: InProgress
    b.clock.advance(61 * 60_000);
    const before = posts(b).length;

    const other = createPollerHandler(b.env, { clock: b.clock });
    await Promise.all([b.poll(), b.poll(), other()]);
    await Promise.all([b.poll(), other()]);

    expect((await storedRequest(b, retrying.id)).status).not.toBe('APPROVED');
    expect((await storedRequest(b, submitted.id)).status).toBe('COMPLETED');
    expect((await storedRequest(b, pending.id)).status).toBe('EXPIRED');
    const created = b.cloudfront.state.callsOf('CreateInvalidation').filter((c) => c.status === 201);
    expect(created.map((c) => c.callerReference).sort()).toEqual([retrying.id, submitted.id].sort());
    expect(b.cloudfront.state.invalidations.size).toBe(2);

    const after = posts(b).slice(before);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after).size).toBe(after.length);
    expect(dmsTo(b, USERS.dave)).toHaveLength(1);
    expect(after.filter((p) => p.includes('Submitted 1 path'))).toHaveLength(1);
    expect(after.filter((p) => p.includes('Expired'))).toHaveLength(1);
  });
});

/**
 * `staging /a` by alice, submitted and checked once (InProgress); the next check completes it,
 * in a poller run during which Slack rate-limits one chat.postMessage (Retry-After
 * `retryAfterSec`). Returns the bot, the request, and the request as stored after that run.
 */
async function completedWhileRateLimited(retryAfterSec: number) {
  const b = await start({ completeAfterChecks: 1 });
  const request = await quickRequest(b, USERS.alice, 'staging /a');
  b.clock.advance(FIRST_CHECK_MS);
  await b.poll();
  b.clock.advance(5_000);

  b.slackApi.fail('chat.postMessage', { error: 'ratelimited', status: 429, retryAfterSec, times: 1 });
  await b.poll();
  const stored = await storedRequest(b, request.id);
  expect(stored.status).toBe('COMPLETED');
  return { b, request, stored };
}

describe('poller: Slack rate limits', () => {
  it('keeps the state change and delivers the rate-limited reply once, after Retry-After', async () => {
    const { b, request, stored: completed } = await completedWhileRateLimited(1);
    const limited = b.slackApi.calls('chat.postMessage').filter((c) => c.error === 'ratelimited');
    expect(limited).toHaveLength(1);
    const owed = completed.outbox.find((n) => n.kind === 'completed');
    expect(owed?.notBefore).toBe(new Date(b.clock.now().getTime() + 1_000).toISOString());

    const completedReplies = () => repliesMatching(b, request, /Completed/);
    // Within Retry-After the reply waits.
    await b.poll();
    expect(completedReplies()).toHaveLength(0);

    b.clock.advance(1_000);
    await b.poll();
    expect(completedReplies()).toHaveLength(1);
    await b.poll();
    b.clock.advance(60_000);
    await b.poll();
    expect(completedReplies()).toHaveLength(1);
    expect(dmsTo(b, USERS.alice)).toHaveLength(1);
    expect((await storedRequest(b, request.id)).outbox).toEqual([]);
  });
});

describe('poller: Slack pushing back mid-batch', () => {
  it('holds the rest of the batch back, unattempted, for as long as Slack asked', async () => {
    // Completion owes a card update, a thread reply and a DM, claimed as one batch.
    const { b, request, stored: held } = await completedWhileRateLimited(2);
    expect(dmsTo(b, USERS.alice)).toHaveLength(0);
    const dm = held.outbox.find((n) => n.kind === 'requester-completed');
    expect(dm).toMatchObject({
      attempts: 0,
      notBefore: new Date(b.clock.now().getTime() + 2_000).toISOString(),
    });
    expect(dm?.claimedUntil).toBeUndefined();
    expect(held.outbox.map((n) => n.kind).sort()).toEqual(['completed', 'requester-completed']);

    b.clock.advance(2_000);
    await b.poll();
    expect(dmsTo(b, USERS.alice)).toHaveLength(1);
    expect((await storedRequest(b, request.id)).outbox).toEqual([]);
  });
});

describe('poller: a card Slack will not take', () => {
  it('still DMs the requester and drops the thread replies, so the request leaves the poller', async () => {
    const b = await start({ completeAfterChecks: 1, countDynamoCalls: true });
    // The card is refused for good twice: at creation and at completion (an InProgress check that
    // changes nothing owes no card). With no card to post, a thread reply has nowhere to go and is dropped.
    b.slackApi.fail('chat.postMessage', { error: 'is_archived', times: 2 });
    const request = await quickRequest(b, USERS.alice, 'staging /a');
    b.clock.advance(FIRST_CHECK_MS);
    await b.poll();
    b.clock.advance(8_000);
    await b.poll();

    const done = await storedRequest(b, request.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.cardTs).toBeUndefined();
    const dms = dmsTo(b, USERS.alice);
    expect(dms).toHaveLength(1);
    expect(String(dms[0]?.args.text)).toContain('Your invalidation of 1 path on staging completed in 10s');
    expect(done.outbox).toEqual([]);
    const events = await storeOf(b).listEvents(request.id);
    expect(events.filter((e) => e.action === 'notice-dropped').map((e) => e.detail?.split(' ')[0])).toEqual([
      'card',
      'submitted',
      'card',
      'completed',
    ]);

    // Nothing is owed any more: the next run is idle.
    b.dynamoCalls?.clear();
    b.clock.advance(60_000);
    expect(await b.poll()).toEqual({ rounds: 1, due: 0 });
    expect(b.dynamoCalls?.operations()).toEqual(['Query']);
  });
});
