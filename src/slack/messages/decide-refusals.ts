import type { DecideRefusal } from '../../app/decide-request';
import type { DecisionRefusal } from '../../domain/lifecycle';
import { policyRefusalText } from './policy-refusals';
import { statusState } from './request-status';

/** The words for a refused Approve, Reject or Cancel (mrkdwn; the reject modal shows it as plain text). */
export function decideRefusalText(refusal: DecideRefusal): string {
  switch (refusal.code) {
    case 'distribution-gone':
      return `The distribution "${refusal.alias}" is no longer in the bot's config, so this request cannot be decided.`;
    case 'lifecycle':
      return lifecycleRefusalText(refusal.refusal);
    default:
      return policyRefusalText(refusal);
  }
}

/** Policy let the decision through and the lifecycle did not: in practice, the deadline passed. */
function lifecycleRefusalText(refusal: DecisionRefusal): string {
  switch (refusal.code) {
    case 'expired':
      return `This request expired at ${refusal.decideBy} without a decision.`;
    case 'not-pending':
      return `This request is no longer pending: it is ${statusState(refusal.status, refusal.dryRun)}.`;
    case 'already-approved':
      return 'You already approved this request.';
  }
}
