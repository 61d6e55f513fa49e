import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { mayDecide } from '../../../app/decide-request';
import type { BotDeps } from '../../../app/deps';
import { modalButtonClick } from '../../payloads';
import { rejectModal } from '../../views/reject-modal';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>;

/**
 * Reject opens a small form for an optional reason; submitting it rejects (see
 * reject-submission). A person who may not reject is told so instead of getting the form.
 * One read, then views.open, the one Web API call a listener makes (the trigger lives 3 s).
 */
export function openRejectFormHandler(deps: BotDeps) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    await ack();
    const parsed = modalButtonClick.safeParse(body);
    if (!parsed.success) {
      deps.log.warn('unreadable reject click');
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
    try {
      const may = await mayDecide(deps, { requestId: action.value, userId: user.id, decision: 'reject' });
      if (may.kind === 'missing') return await tell('I cannot find this request any more.');
      if (may.kind === 'refused') return await tell(may.message);
      await client.views.open({ trigger_id, view: rejectModal(may.request) });
    } catch (error) {
      deps.log.error('reject form failed', { user: user.id, requestId: action.value, error });
      await tell('I could not open the reject form. Please click Reject again.');
    }
  };
}
