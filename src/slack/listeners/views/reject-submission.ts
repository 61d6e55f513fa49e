import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { decideRequest } from '../../../app/decide-request';
import type { BotDeps } from '../../../app/deps';
import { toPlainText } from '../../messages/mrkdwn';
import { rejectSubmission } from '../../payloads';
import { REJECT_MODAL } from '../../views/reject-modal';

type Args = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

/**
 * The reject form was submitted: one conditional write, then the worker tells the thread,
 * the requester (by DM, with the reason) and updates the card. A refusal (someone else
 * decided first, the request expired) is shown in the form, which stays open.
 */
export function rejectSubmissionHandler(deps: BotDeps) {
  return async ({ ack, body }: Args): Promise<void> => {
    const parsed = rejectSubmission.safeParse(body);
    if (!parsed.success) {
      await ack({
        response_action: 'errors',
        errors: { [REJECT_MODAL.reason]: 'Slack sent a form I could not read. Please try again.' },
      });
      return;
    }
    const { user, view } = parsed.data;
    const reason = view.state.values.reason?.reason.value?.trim() ?? '';
    try {
      const outcome = await decideRequest(deps, {
        requestId: view.private_metadata,
        userId: user.id,
        decision: 'reject',
        ...(reason !== '' ? { reason } : {}),
      });
      if (outcome.kind === 'missing') {
        await ack({
          response_action: 'errors',
          errors: { [REJECT_MODAL.reason]: 'I cannot find this request any more.' },
        });
        return;
      }
      if (outcome.kind === 'refused') {
        await ack({
          response_action: 'errors',
          errors: { [REJECT_MODAL.reason]: toPlainText(outcome.message).slice(0, 1_500) },
        });
        if (outcome.request?.status === 'EXPIRED')
          await deps.kicker.kick({ kick: 'request', requestId: outcome.request.id });
        return;
      }
      await ack();
      await deps.kicker.kick({ kick: 'request', requestId: outcome.request.id });
    } catch (error) {
      deps.log.error('reject failed', { user: user.id, requestId: view.private_metadata, error });
      await ack({
        response_action: 'errors',
        errors: {
          [REJECT_MODAL.reason]:
            'Something went wrong on my side and nothing was rejected. Please submit again.',
        },
      });
    }
  };
}
