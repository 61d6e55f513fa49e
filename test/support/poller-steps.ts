import type { PollRun } from '../../src/app/poll';
import type { InvalidationRequest } from '../../src/domain/request';
import { createPollerHandler } from '../../src/handlers/poller';
import { type Bot, type StartBotOptions, storedRequest, threadReplies } from './bot';
import type { SlackCall } from './slack-fake';

/**
 * Steps of the poller end-to-end tests, on a bot from ./bot: scheduled runs, a clock that
 * moves with real time for following, and what a request's thread says.
 */

/** Moves the bot's clock on by `ms`, runs the poller once as the schedule would, and returns the request as stored then. */
export async function storedAfterPoll(bot: Bot, ms: number, id: string): Promise<InvalidationRequest> {
  bot.clock.advance(ms);
  await bot.poll();
  return storedRequest(bot, id);
}

/**
 * Options for a bot whose poller follows invalidations in real time: a live clock and slots
 * 50 ms apart (`options.env` may set another POLL_INTERVAL_MS, and add to the env).
 */
export function liveFollowing(options: StartBotOptions = {}): StartBotOptions {
  return { liveClock: true, ...options, env: { POLL_INTERVAL_MS: '50', ...options.env } };
}

/**
 * A scheduled run with a budget of its own. The bot's own budget stays 0, so the requests'
 * kicks do their one step (the submission) and the following is this run's.
 */
export function scheduledRun(bot: Bot, budgetMs: number): () => Promise<PollRun> {
  return createPollerHandler({ ...bot.env, POLL_BUDGET_MS: String(budgetMs) }, { clock: bot.clock });
}

/** Thread replies under a request's card whose text matches `pattern`, in order. */
export function repliesMatching(
  bot: Bot,
  request: { channel: string; cardTs?: string },
  pattern: RegExp,
): SlackCall[] {
  return threadReplies(bot, request.channel, request.cardTs ?? '').filter((c) =>
    pattern.test(String(c.args.text)),
  );
}
