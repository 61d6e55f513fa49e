import { describe, expect, it } from 'vitest';
import {
  cardTsOf,
  cardUpdates,
  dmsTo,
  quickRequest,
  STAGING_ID,
  storedRequest,
  textOf,
  threadReplies,
  USERS,
} from '../support/bot';
import { repliesMatching, storedAfterPoll } from '../support/poller-steps';
import { useBots } from '../support/use-bots';

/** Status tracking through the real poller handler: checks, thread updates, the card, the requester's DM. */

const start = useBots();

describe('poller: completion', () => {
  it('reports Completed in the thread, on the card and to the requester, with the elapsed time', async () => {
    const bot = await start({ completeAfterChecks: 1 });
    const request = await quickRequest(bot, USERS.alice, 'staging /index.html /css/*');
    expect(request.status).toBe('SUBMITTED');
    const cardTs = cardTsOf(request);

    // First check: InProgress (the fake answers one InProgress before Completed), booked after submission.
    await bot.poll();
    expect(bot.cloudfront.state.callsOf('GetInvalidation')).toHaveLength(0);
    expect((await storedAfterPoll(bot, 2_000, request.id)).status).toBe('SUBMITTED');

    const done = await storedAfterPoll(bot, 70_000, request.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.cloudFrontStatus).toBe('Completed');
    expect(done.outbox).toEqual([]);

    const gets = bot.cloudfront.state.callsOf('GetInvalidation');
    expect(gets).toHaveLength(2);
    expect(
      gets.every((c) => c.invalidationId === done.invalidationId && c.distributionId === STAGING_ID),
    ).toBe(true);

    const completed = repliesMatching(bot, request, /Completed/);
    expect(completed).toHaveLength(1);
    expect(String(completed[0]?.args.text)).toContain('Completed in 1m 12s');

    const lastCard = cardUpdates(bot, cardTs).at(-1);
    expect(lastCard?.args.channel).toBe(request.channel);
    expect(String(lastCard?.args.text)).toMatch(/^Completed:/);

    const dms = dmsTo(bot, USERS.alice);
    expect(dms).toHaveLength(1);
    const dm = String(dms[0]?.args.text);
    expect(dm).toContain('Your invalidation of 2 paths on staging completed in 1m 12s');
    const permalink = bot.slackApi
      .calls('chat.getPermalink')
      .filter((c) => c.args.message_ts === cardTs)
      .at(-1)?.response.permalink;
    expect(typeof permalink).toBe('string');
    expect(dm).toContain(String(permalink));
  });

  it('checks InProgress quietly, says "still in progress" once, and refreshes the card on checks a minute apart', async () => {
    const stillAfterMs = 5 * 60_000;
    const bot = await start({ completeAfterChecks: 12 });
    const request = await quickRequest(bot, USERS.alice, 'staging /a');
    const cardTs = cardTsOf(request);
    const repliesBefore = threadReplies(bot, request.channel, cardTs).length;

    // Twelve InProgress checks a minute apart: well past the five-minute mark.
    bot.clock.advance(60_000);
    const checkTimes: string[] = [];
    for (let check = 1; check <= 12; check++) {
      await bot.poll();
      const stored = await storedRequest(bot, request.id);
      expect(stored.status).toBe('SUBMITTED');
      expect(stored.lastCheckedAt).toBe(bot.clock.now().toISOString());
      checkTimes.push(stored.lastCheckedAt ?? '');
      const replies = threadReplies(bot, request.channel, cardTs).slice(repliesBefore);
      const elapsed = 60_000 * check;
      expect(replies).toHaveLength(elapsed >= stillAfterMs ? 1 : 0);
      bot.clock.advance(60_000);
    }
    expect(bot.cloudfront.state.callsOf('GetInvalidation')).toHaveLength(12);

    const still = threadReplies(bot, request.channel, cardTs).slice(repliesBefore);
    expect(still).toHaveLength(1);
    expect(String(still[0]?.args.text)).toContain('Still in progress');
    expect(String(still[0]?.args.text)).toContain('5m so far');

    // Each check refreshed the card with CloudFront's status and the time of that check.
    const updates = cardUpdates(bot, cardTs);
    expect(updates.length).toBeGreaterThanOrEqual(12);
    const lastInProgress = textOf(updates.at(-1)?.args ?? {});
    expect(lastInProgress).toContain('status *InProgress*');
    expect(lastInProgress).toContain(`<!date^${Math.floor(Date.parse(checkTimes[11] ?? '') / 1000)}^`);

    await bot.poll();
    const done = await storedRequest(bot, request.id);
    expect(done.status).toBe('COMPLETED');
    const after = threadReplies(bot, request.channel, cardTs).slice(repliesBefore);
    expect(after.map((c) => String(c.args.text).split(' ')[0])).toEqual([
      ':hourglass_flowing_sand:',
      ':white_check_mark:',
    ]);
    expect(textOf(cardUpdates(bot, cardTs).at(-1)?.args ?? {})).toContain('status *Completed*');
    expect(dmsTo(bot, USERS.alice)).toHaveLength(1);
  });

  it('honours STILL_IN_PROGRESS_AFTER_MS', async () => {
    const bot = await start({ completeAfterChecks: 5, env: { STILL_IN_PROGRESS_AFTER_MS: '30000' } });
    const request = await quickRequest(bot, USERS.alice, 'staging /a');
    const cardTs = cardTsOf(request);
    const before = threadReplies(bot, request.channel, cardTs).length;
    for (let check = 0; check < 4; check++) {
      await bot.poll();
      bot.clock.advance(20_000);
    }
    const still = threadReplies(bot, request.channel, cardTs)
      .slice(before)
      .filter((c) => String(c.args.text).includes('Still in progress'));
    expect(still).toHaveLength(1);
    // Checked at 0 s, 20 s, 40 s, 60 s: the 40 s check is the first one past 30 s.
    expect(String(still[0]?.args.text)).toContain('40s so far');
  });
});
