import type { DistributionConfig } from '../../config/bot-config';
import type { PolicyRefusal } from '../../domain/policy';
import type { RequestStatus } from '../../domain/request';
import { mention } from './mrkdwn';
import { noLongerPending } from './request-status';

/**
 * The words for a policy refusal (mrkdwn: mentions and code spans). A modal shows the same
 * words through `toPlainText`, so each refusal is written once.
 */
export function policyRefusalText(refusal: PolicyRefusal): string {
  switch (refusal.code) {
    case 'not-requester':
      return `You can't request invalidations for \`${refusal.alias}\`: only ${mentionList(refusal.requesters)} can.`;
    case 'not-approver':
      return `You're not an approver for \`${refusal.alias}\`. ${approverHint(refusal.approvers)}`;
    case 'self-approval':
      return `You can't approve your own request: \`${refusal.alias}\` needs someone else's approval. ${approverHint(refusal.approvers)}`;
    case 'already-approved':
      return `You already approved this request; it needs ${refusal.remaining} more ${refusal.remaining === 1 ? 'approval' : 'approvals'} from someone else.`;
    case 'reject-not-approver':
      return `Only approvers can reject requests for \`${refusal.alias}\`. ${approverHint(refusal.approvers)}`;
    case 'cancel-not-requester':
      return `Only the requester, ${mention(refusal.requesterId)}, can cancel this request. Approvers can reject it instead.`;
    case 'not-pending':
      return notPendingText(refusal.status, refusal.decidedBy, refusal.dryRun);
  }
}

/** One line for help text and the request modal: the distribution's approval rules. */
export function describePolicy(distribution: DistributionConfig): string {
  const parts: string[] = [];
  const n = distribution.requiredApprovals;
  if (n === 0) {
    parts.push('needs no approval: requests are sent to CloudFront at once');
  } else {
    parts.push(
      `needs ${n} ${n === 1 ? 'approval' : 'approvals'} from ${mentionList(distribution.approvers)}`,
    );
    parts.push(distribution.allowSelfApproval ? 'self-approval allowed' : 'self-approval not allowed');
  }
  if (!distribution.requesters.includes('*')) {
    parts.push(`only ${mentionList(distribution.requesters)} can request`);
  }
  return parts.join('; ');
}

function mentionList(principals: readonly string[]): string {
  return [...new Set(principals)].map(mention).join(', ');
}

function approverHint(approvers: readonly string[]): string {
  return approvers.length === 0 ? 'It has no approvers.' : `Approvers: ${mentionList(approvers)}.`;
}

function notPendingText(
  status: Exclude<RequestStatus, 'PENDING'>,
  decidedBy: string | undefined,
  dryRun: boolean,
): string {
  const by =
    decidedBy !== undefined && (status === 'REJECTED' || status === 'CANCELLED')
      ? ` by ${mention(decidedBy)}`
      : '';
  return `This request is no longer pending: ${noLongerPending(status, dryRun)}${by}.`;
}
