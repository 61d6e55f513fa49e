import type { WebClient } from '@slack/web-api';
import type { BotDeps } from '../app/deps';
import type { KickEvent } from '../app/kick';
import { settle } from '../app/settle';
import { publishHome } from '../slack/publish-home';

/**
 * The worker's side of a kick: the work the slack function handed over after
 * answering. Every piece is idempotent or leased, so a kick delivered twice, or
 * racing the scheduled run, does its work once.
 */
export async function runKick(deps: BotDeps, client: WebClient, event: KickEvent): Promise<void> {
  switch (event.kick) {
    case 'request': {
      const request = await deps.store.get(event.requestId);
      if (!request) {
        deps.log.warn('kick for a request that does not exist', { requestId: event.requestId });
        return;
      }
      const heldIds = new Set(event.held ?? []);
      const held = request.outbox.filter((n) => heldIds.has(n.id));
      await settle(deps, request, held);
      return;
    }
    case 'tell':
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
