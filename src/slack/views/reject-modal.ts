import type { KnownBlock, ModalView } from '@slack/types';
import type { InvalidationRequest } from '../../domain/request';
import { escapeMrkdwn, mention, plural } from '../messages/mrkdwn';
import { shortId } from '../messages/request-status';
import { optionalInput } from './optional-input';

/** The reject form's ids (Slack surface contract): the request id travels in `private_metadata`. */
export const REJECT_MODAL = {
  callbackId: 'reject_request',
  reason: 'reason',
} as const;

/** Reject, with an optional reason the requester is told. Submitting it rejects. */
export function rejectModal(request: InvalidationRequest): ModalView & { blocks: KnownBlock[] } {
  return {
    type: 'modal',
    callback_id: REJECT_MODAL.callbackId,
    private_metadata: request.id,
    title: { type: 'plain_text', text: 'Reject request' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Keep it' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            `Reject ${mention(request.requesterId)}'s invalidation of ${plural(request.paths.length, 'path')} ` +
            `on *${escapeMrkdwn(request.distributionAlias)}* [${shortId(request.id)}]? Nothing will be invalidated; ` +
            'the requester is told by DM, with your reason.',
        },
      },
      optionalInput({
        id: REJECT_MODAL.reason,
        label: 'Reason',
        element: {
          type: 'plain_text_input',
          max_length: 1_000,
          placeholder: { type: 'plain_text', text: 'Why not, so the requester knows what to change' },
        },
      }),
    ],
  };
}
