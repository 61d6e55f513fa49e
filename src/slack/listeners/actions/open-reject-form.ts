import { mayDecide } from '../../../app/decide-request';
import type { BotDeps } from '../../../app/deps';
import { decideRefusalText } from '../../messages/decide-refusals';
import { rejectModal } from '../../views/reject-modal';
import { modalButtonListener } from './modal-button-click';

/**
 * Reject opens a small form for an optional reason; submitting it rejects (see
 * reject-submission). A person who may not reject is told so instead of getting the form.
 * One read, then views.open, the one Web API call a listener makes (the trigger lives 3 s).
 */
export function openRejectFormHandler(deps: BotDeps) {
  return modalButtonListener(deps, 'reject', async ({ userId, requestId, triggerId, tell }, client) => {
    try {
      const may = await mayDecide(deps, { requestId, userId, decision: 'reject' });
      if (may.kind === 'missing') return await tell('I cannot find this request any more.');
      if (may.kind === 'refused') return await tell(decideRefusalText(may.refusal));
      await client.views.open({ trigger_id: triggerId, view: rejectModal(may.request) });
    } catch (error) {
      deps.log.error('reject form failed', { user: userId, requestId, error });
      await tell('I could not open the reject form. Please click Reject again.');
    }
  });
}
