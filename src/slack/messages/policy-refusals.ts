import type { DistributionConfig } from '../../domain/config';
import type { PolicyRefusal } from '../../domain/policy';
import type { RequestStatus } from '../../domain/request';
import { mention } from './mrkdwn';

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

const NO_LONGER_PENDING: Record<Exclude<RequestStatus, 'PENDING'>, string> = {
  APPROVED: 'it has already been approved',
  SUBMITTED: 'it has already been approved and sent to CloudFront',
  COMPLETED: 'it has already been approved and the invalidation has completed',
  REJECTED: 'it was rejected',
  CANCELLED: 'it was cancelled',
  EXPIRED: 'it expired before anyone decided',
  FAILED: 'it was approved but failed at CloudFront',
};

/** In a dry run nothing reaches CloudFront, so no answer may say it did (a double click, say). */
const NO_LONGER_PENDING_DRY_RUN: Partial<Record<Exclude<RequestStatus, 'PENDING'>, string>> = {
  SUBMITTED: 'it has already been approved (a dry run: CloudFront is not called)',
  COMPLETED: 'it has already been approved and the dry run has completed',
  FAILED: 'it was approved but failed',
};

function notPendingText(
  status: Exclude<RequestStatus, 'PENDING'>,
  decidedBy: string | undefined,
  dryRun: boolean,
): string {
  const by =
    decidedBy !== undefined && (status === 'REJECTED' || status === 'CANCELLED')
      ? ` by ${mention(decidedBy)}`
      : '';
  const words = (dryRun ? NO_LONGER_PENDING_DRY_RUN[status] : undefined) ?? NO_LONGER_PENDING[status];
  return `This request is no longer pending: ${words}${by}.`;
}
