import type { BlockAction } from '@slack/bolt';
import type { BotDeps } from '../../../app/deps';
import { modalButtonClick } from '../../payloads';

/** A button that opens a modal, read once: who clicked, the request it names, and how to answer them. */
export interface ModalButtonClick {
  userId: string;
  requestId: string;
  triggerId: string;
  channelId: string | undefined;
  /** A warning to the clicker, in the channel they clicked in (none when Slack gave no channel). */
  tell: (text: string) => Promise<void>;
}

/**
 * Reads the click, or logs `unreadable <what> click` and gives undefined; undefined too when the
 * click carries no action (Bolt has already been acked, so there is nothing else to answer).
 */
export function readModalButtonClick(
  deps: Pick<BotDeps, 'log' | 'kicker'>,
  body: BlockAction,
  what: string,
): ModalButtonClick | undefined {
  const parsed = modalButtonClick.safeParse(body);
  if (!parsed.success) {
    deps.log.warn(`unreadable ${what} click`);
    return undefined;
  }
  const { user, actions, channel, container, trigger_id } = parsed.data;
  const channelId = channel?.id ?? container?.channel_id;
  const [action] = actions;
  if (!action) return undefined;
  const tell = async (text: string) => {
    if (channelId)
      await deps.kicker.kick({
        kick: 'tell',
        channel: channelId,
        user: user.id,
        text: `:warning: ${text}`,
      });
  };
  return { userId: user.id, requestId: action.value, triggerId: trigger_id, channelId, tell };
}
