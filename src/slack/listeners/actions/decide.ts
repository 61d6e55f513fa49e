import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { type Decision, decideRequest } from '../../../app/decide-request';
import type { BotDeps } from '../../../app/deps';
import type { KickEvent } from '../../../app/kick';
import { decideRefusalText } from '../../messages/decide-refusals';
import { buttonClick } from '../../payloads';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>;

/**
 * A click on Approve, Reject or Cancel. The decision is the store's (one
 * conditional write); the thread replies, the card update and a submission
 * are the worker's, kicked after the write. The clicker hears back
 * ephemerally when it is not theirs to make or the request has moved on,
 * never a silent no-op; Slack lets a click's HTTP answer carry no message, so
 * that answer travels through the worker too.
 */
export function decisionHandler(deps: BotDeps, decision: Decision) {
  return async ({ ack, body }: Args): Promise<void> => {
    await ack();
    const parsed = buttonClick.safeParse(body);
    if (!parsed.success) {
      deps.log.warn('unreadable button click', { decision });
      return;
    }
    const { user, actions, channel, container } = parsed.data;
    const channelId = channel?.id ?? container?.channel_id;
    const [action] = actions;
    if (!action) return;
    // On the App Home there is no channel to answer in: the clicker hears back by DM.
    const tell = (text: string): KickEvent[] => [
      channelId
        ? { kick: 'tell', channel: channelId, user: user.id, text: `:warning: ${text}` }
        : { kick: 'tell', channel: user.id, user: user.id, text: `:warning: ${text}`, dm: true },
    ];

    let kicks: KickEvent[];
    try {
      const outcome = await decideRequest(deps, { requestId: action.value, userId: user.id, decision });
      if (outcome.kind === 'missing') kicks = tell('I cannot find this request any more.');
      else if (outcome.kind === 'refused') {
        // A refusal may still have changed something (an expiry noticed on the click).
        const changed = outcome.request?.status === 'EXPIRED';
        kicks = [
          ...tell(decideRefusalText(outcome.refusal)),
          ...(changed && outcome.request ? [requestKick(outcome.request.id)] : []),
        ];
      } else kicks = [requestKick(outcome.request.id)];
    } catch (error) {
      deps.log.error('decision failed', { decision, user: user.id, requestId: action.value, error });
      kicks = tell('Something went wrong on my side and your click was not recorded. Please try again.');
    }
    // A click on the App Home (no channel): the tab is published again, so it shows where the request is now.
    if (!channelId) kicks.push({ kick: 'home', user: user.id });
    await Promise.all(kicks.map((k) => deps.kicker.kick(k)));
  };
}

function requestKick(requestId: string): KickEvent {
  return { kick: 'request', requestId };
}
