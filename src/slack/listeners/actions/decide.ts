import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { type Decision, decideRequest } from '../../../app/decide-request';
import type { BotDeps } from '../../../app/deps';
import { settle } from '../../../app/settle';
import { buttonClick } from '../../payloads';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>;

/**
 * A click on Approve, Reject or Cancel. The decision is the store's; the
 * clicker hears back ephemerally when it is not theirs to make or the
 * request has moved on, never a silent no-op.
 */
export function decisionHandler(deps: BotDeps, decision: Decision) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    await ack();
    const parsed = buttonClick.safeParse(body);
    if (!parsed.success) {
      deps.log.warn('unreadable button click', { decision });
      return;
    }
    const { user, actions, channel, container } = parsed.data;
    const channelId = channel?.id ?? container?.channel_id;
    const [action] = actions;
    const tell = async (text: string) => {
      if (!channelId) return;
      await client.chat.postEphemeral({ channel: channelId, user: user.id, text: `:warning: ${text}` });
    };
    if (!action) return;
    let outcome: Awaited<ReturnType<typeof decideRequest>>;
    try {
      outcome = await decideRequest(deps, { requestId: action.value, userId: user.id, decision });
    } catch (error) {
      deps.log.error('decision failed', {
        decision,
        user: user.id,
        requestId: action.value,
        error: String(error),
      });
      await tell('Something went wrong on my side and your click was not recorded. Please try again.').catch(
        () => {},
      );
      return;
    }
    try {
      if (outcome.kind === 'missing') {
        await tell('I cannot find this request any more.');
        return;
      }
      if (outcome.kind === 'refused') {
        await tell(outcome.message);
        // A refusal may still have changed something (an expiry noticed on the click).
        if (outcome.request) await settle(deps, outcome.request);
        return;
      }
      await settle(deps, outcome.request);
    } catch (error) {
      // The decision is recorded and its messages queued: the poller delivers what failed here.
      deps.log.error('after-decision work failed', {
        decision,
        requestId: action.value,
        error: String(error),
      });
    }
  };
}
