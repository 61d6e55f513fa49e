import { type DistributionConfig, targetKey } from './config';
import type { Approval, InvalidationRequest, RequestStatus } from './request';

/**
 * Who may do what to an invalidation request. Pure: the caller resolves the
 * acting user's user-group memberships (see `groupsToResolve`) and passes them
 * in. Every refusal carries a reason written for the person in Slack.
 */

export type Decision = { allowed: true } | { allowed: false; reason: string };

/** The acting user's memberships among the distribution's user groups (`S…` ids). */
export type UserGroups = ReadonlySet<string>;

type RequestFacts = Pick<InvalidationRequest, 'status' | 'requesterId' | 'approvals' | 'requiredApprovals'> &
  Partial<Pick<InvalidationRequest, 'decidedBy' | 'dryRun'>>;

const ALLOWED: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

export function isGroupId(principal: string): boolean {
  return principal.startsWith('S');
}

/** How Slack renders a user (`<@U…>`) or a user group (`<!subteam^S…>`). */
export function mention(principal: string): string {
  return isGroupId(principal) ? `<!subteam^${principal}>` : `<@${principal}>`;
}

function listed(principals: readonly string[], userId: string, userGroups: UserGroups): boolean {
  return principals.includes(userId) || principals.some((p) => isGroupId(p) && userGroups.has(p));
}

export function isApprover(
  distribution: DistributionConfig,
  userId: string,
  userGroups: UserGroups,
): boolean {
  return listed(distribution.approvers, userId, userGroups);
}

export function canRequest(
  distribution: DistributionConfig,
  userId: string,
  userGroups: UserGroups,
): Decision {
  if (distribution.requesters.includes('*') || listed(distribution.requesters, userId, userGroups))
    return ALLOWED;
  return deny(
    `You can't request invalidations for \`${distribution.alias}\`: only ${mentionList(distribution.requesters)} can.`,
  );
}

export function canApprove(
  distribution: DistributionConfig,
  request: RequestFacts,
  userId: string,
  userGroups: UserGroups,
): Decision {
  if (request.status !== 'PENDING') return notPending(request.status, request.decidedBy, request.dryRun);
  if (!isApprover(distribution, userId, userGroups)) {
    return deny(`You're not an approver for \`${distribution.alias}\`. ${approverHint(distribution)}`);
  }
  if (request.requesterId === userId && !distribution.allowSelfApproval) {
    return deny(
      `You can't approve your own request: \`${distribution.alias}\` needs someone else's approval. ${approverHint(distribution)}`,
    );
  }
  if (request.approvals.some((a) => a.userId === userId)) {
    const remaining = approvalsRemaining(request);
    return deny(
      `You already approved this request; it needs ${remaining} more ${remaining === 1 ? 'approval' : 'approvals'} from someone else.`,
    );
  }
  return ALLOWED;
}

/**
 * Approvers only. The requester may reject their own request if they are an
 * approver even without self-approval: closing a request never sends an
 * invalidation, and self-approval guards only against unreviewed invalidations.
 */
export function canReject(
  distribution: DistributionConfig,
  request: Pick<RequestFacts, 'status' | 'decidedBy' | 'dryRun'>,
  userId: string,
  userGroups: UserGroups,
): Decision {
  if (request.status !== 'PENDING') return notPending(request.status, request.decidedBy, request.dryRun);
  if (!isApprover(distribution, userId, userGroups)) {
    return deny(
      `Only approvers can reject requests for \`${distribution.alias}\`. ${approverHint(distribution)}`,
    );
  }
  return ALLOWED;
}

/**
 * Requester only. Approvers have Reject, which records that the request was
 * turned down by someone else; Cancel means "I no longer want this", and only
 * the person who asked can say that. PENDING only, as in the lifecycle: once
 * approved, the invalidation is already on its way.
 */
export function canCancel(
  request: Pick<RequestFacts, 'status' | 'requesterId' | 'decidedBy' | 'dryRun'>,
  userId: string,
): Decision {
  if (request.status !== 'PENDING') return notPending(request.status, request.decidedBy, request.dryRun);
  if (request.requesterId !== userId) {
    return deny(
      `Only the requester, ${mention(request.requesterId)}, can cancel this request. Approvers can reject it instead.`,
    );
  }
  return ALLOWED;
}

/** Distinct approvers: a repeated approval by one person never counts twice. */
function approvalCount(approvals: readonly Pick<Approval, 'userId'>[]): number {
  return new Set(approvals.map((a) => a.userId)).size;
}

export function approvalsRemaining(
  request: Pick<InvalidationRequest, 'approvals' | 'requiredApprovals'>,
): number {
  return Math.max(0, request.requiredApprovals - approvalCount(request.approvals));
}

export function isApprovedEnough(
  requiredApprovals: number,
  approvals: readonly Pick<Approval, 'userId'>[],
): boolean {
  return approvalCount(approvals) >= requiredApprovals;
}

/** A distribution needing zero approvals (e.g. staging) approves a request as it is created. */
export function approvesAtCreation(distribution: Pick<DistributionConfig, 'requiredApprovals'>): boolean {
  return distribution.requiredApprovals === 0;
}

/**
 * The user-group ids whose membership decides the given role. Empty when
 * nobody needs resolving (requesters `*`), so the caller can skip the API call.
 */
export function groupsToResolve(
  distribution: DistributionConfig,
  role: 'approve' | 'request' | 'break-glass',
): string[] {
  const principals =
    role === 'approve'
      ? distribution.approvers
      : role === 'request'
        ? distribution.requesters
        : distribution.breakGlass;
  if (principals.includes('*')) return [];
  return [...new Set(principals.filter(isGroupId))];
}

/** One line for help text and the request modal. */
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

function approverHint(distribution: DistributionConfig): string {
  return distribution.approvers.length === 0
    ? 'It has no approvers.'
    : `Approvers: ${mentionList(distribution.approvers)}.`;
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

function notPending(
  status: Exclude<RequestStatus, 'PENDING'>,
  decidedBy: string | undefined,
  dryRun = false,
): Decision {
  const by =
    decidedBy !== undefined && (status === 'REJECTED' || status === 'CANCELLED')
      ? ` by ${mention(decidedBy)}`
      : '';
  const words = (dryRun ? NO_LONGER_PENDING_DRY_RUN[status] : undefined) ?? NO_LONGER_PENDING[status];
  return deny(`This request is no longer pending: ${words}${by}.`);
}

/**
 * Rules added with break-glass and required reasons answer with codes and facts; the words
 * are written where Slack shows them (slack/messages).
 */
export type RequestRefusal =
  | { code: 'break-glass-not-listed'; alias: string; breakGlass: readonly string[] }
  | { code: 'break-glass-needs-reason'; alias: string }
  | { code: 'reason-required'; alias: string };

declare const grantBrand: unique symbol;

/**
 * Permission to skip approval for one request on one target. Only `grantBreakGlass` makes
 * one, so a request can skip approval only where its requester is listed.
 */
export interface BreakGlassGrant {
  readonly [grantBrand]: true;
  /** The target (see `targetKey`) the grant is for. */
  readonly target: string;
  readonly userId: string;
  readonly reason: string;
}

export function mayBreakGlass(
  distribution: DistributionConfig,
  userId: string,
  userGroups: UserGroups,
): boolean {
  return listed(distribution.breakGlass, userId, userGroups);
}

export function grantBreakGlass(
  distribution: DistributionConfig,
  userId: string,
  userGroups: UserGroups,
  reason: string,
): { ok: true; grant: BreakGlassGrant } | { ok: false; refusal: RequestRefusal } {
  if (!mayBreakGlass(distribution, userId, userGroups)) {
    return {
      ok: false,
      refusal: {
        code: 'break-glass-not-listed',
        alias: distribution.alias,
        breakGlass: distribution.breakGlass,
      },
    };
  }
  if (reason.trim() === '')
    return { ok: false, refusal: { code: 'break-glass-needs-reason', alias: distribution.alias } };
  const grant = { target: targetKey(distribution), userId, reason: reason.trim() } as BreakGlassGrant;
  return { ok: true, grant };
}

/** `requireReason`: a request without a reason is refused. */
export function checkReason(distribution: DistributionConfig, reason: string): RequestRefusal | undefined {
  return distribution.requireReason && reason.trim() === ''
    ? { code: 'reason-required', alias: distribution.alias }
    : undefined;
}
