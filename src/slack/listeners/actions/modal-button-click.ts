import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../../app/deps';
import { modalButtonClick } from '../../payloads';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>;

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
 * The listener of a button that opens a modal: acks first, reads the click, then `open` gets
 * it with the client that opens the modal. An unreadable click is logged as
 * `unreadable <what> click` and goes no further; one that carries no action goes no further
 * either (Bolt has already been acked, so there is nothing else to answer).
 */
export function modalButtonListener(
  deps: Pick<BotDeps, 'log' | 'kicker'>,
  what: string,
  open: (click: ModalButtonClick, client: Args['client']) => Promise<void>,
): (args: Args) => Promise<void> {
  return async ({ ack, body, client }) => {
    await ack();
    const click = readModalButtonClick(deps, body, what);
    if (click) await open(click, client);
  };
}

function readModalButtonClick(
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
