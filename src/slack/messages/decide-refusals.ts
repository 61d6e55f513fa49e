import type { DecideRefusal } from '../../app/decide-request';
import { policyRefusalText } from './policy-refusals';

/** The words for a refused Approve, Reject or Cancel (mrkdwn; the reject modal shows it as plain text). */
export function decideRefusalText(refusal: DecideRefusal): string {
  switch (refusal.code) {
    case 'distribution-gone':
      return `The distribution "${refusal.alias}" is no longer in the bot's config, so this request cannot be decided.`;
    case 'lifecycle':
      return refusal.refusal.message;
    default:
      return policyRefusalText(refusal);
  }
}
