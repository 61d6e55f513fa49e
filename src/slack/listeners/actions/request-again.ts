import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../../app/deps';
import { modalButtonClick } from '../../payloads';
import { openRequestModal } from '../commands/open-request-modal';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>;

/** "Request again" on a card that reached an end: the request form, filled in as that request was. */
export function requestAgainHandler(deps: BotDeps) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    await ack();
    const parsed = modalButtonClick.safeParse(body);
    if (!parsed.success) {
      deps.log.warn('unreadable request-again click');
      return;
    }
    const { user, actions, channel, container, trigger_id } = parsed.data;
    const channelId = channel?.id ?? container?.channel_id;
    const [action] = actions;
    if (!action) return;
    const tell = async (text: string) => {
      if (channelId)
        await deps.kicker.kick({
          kick: 'tell',
          channel: channelId,
          user: user.id,
          text: `:warning: ${text}`,
        });
    };
    const previous = await deps.store.get(action.value).catch((error: unknown) => {
      deps.log.error('request-again read failed', { requestId: action.value, error });
      return undefined;
    });
    if (!previous)
      return await tell('I cannot find that request any more; start a new one with `/invalidate`.');
    const opened = await openRequestModal(deps, client, {
      triggerId: trigger_id,
      userId: user.id,
      ...(channelId !== undefined ? { channelId } : {}),
      alias: previous.distributionAlias,
      paths: previous.paths.join('\n'),
      reason: previous.reason,
    });
    if (!opened) await tell('I could not open the form. Please click *Request again* once more.');
  };
}
