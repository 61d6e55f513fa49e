import type { WebClient } from '@slack/web-api';
import type { BotDeps } from '../app/deps';
import { followRequest } from '../app/follow-request';
import type { KickEvent } from '../app/kick';
import { publishHome } from '../slack/publish-home';

/**
 * The worker's side of a kick: the work the slack function handed over after
 * answering. Every piece is idempotent or leased, so a kick delivered twice, or
 * racing the scheduled run, does its work once.
 */
export async function runKick(
  deps: BotDeps,
  client: WebClient,
  event: KickEvent,
  options: { remainingMs?: () => number } = {},
): Promise<void> {
  switch (event.kick) {
    case 'request':
      // Its due work at once, then following it to Completed while the budget lasts.
      await followRequest(deps, event.requestId, {
        held: event.held ?? [],
        ...(event.createdUnder !== undefined ? { createdUnder: event.createdUnder } : {}),
        ...(options.remainingMs ? { remainingMs: options.remainingMs } : {}),
      });
      return;
    case 'tell':
      if (event.dm) {
        // Posting to a user id lands in the bot's DM with them.
        await client.chat.postMessage({ channel: event.user, text: event.text });
        return;
      }
      await client.chat.postEphemeral({
        channel: event.channel,
        user: event.user,
        text: event.text,
        ...(event.blocks ? { blocks: event.blocks } : {}),
      });
      return;
    case 'home':
      await publishHome(deps, client, event.user);
      return;
  }
}
