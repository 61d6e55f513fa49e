import { type DistributionConfig, targetKey } from '../config/bot-config';
import type { Approval, InvalidationRequest, RequestStatus } from './request';

/**
 * Who may do what to an invalidation request. Pure: the caller resolves the
 * acting user's user-group memberships (see `groupsToResolve`) and passes them
 * in. Every refusal is a code with the facts needed to explain it; the words
 * are written where Slack shows them (slack/messages/policy-refusals.ts).
 */

export type PolicyRefusal =
  | { code: 'not-requester'; alias: string; requesters: readonly string[] }
  | { code: 'not-approver'; alias: string; approvers: readonly string[] }
  | { code: 'self-approval'; alias: string; approvers: readonly string[] }
  | { code: 'already-approved'; remaining: number }
  | { code: 'reject-not-approver'; alias: string; approvers: readonly string[] }
  | { code: 'cancel-not-requester'; requesterId: string }
  | { code: 'not-pending'; status: Exclude<RequestStatus, 'PENDING'>; decidedBy?: string; dryRun: boolean };

export type Decision<R extends PolicyRefusal = PolicyRefusal> =
  | { allowed: true }
  | { allowed: false; refusal: R };

/** The acting user's memberships among the distribution's user groups (`S…` ids). */
export type UserGroups = ReadonlySet<string>;

type RequestFacts = Pick<InvalidationRequest, 'status' | 'requesterId' | 'approvals' | 'requiredApprovals'> &
  Partial<Pick<InvalidationRequest, 'decidedBy' | 'dryRun'>>;

const ALLOWED = { allowed: true } as const;
const deny = <R extends PolicyRefusal>(refusal: R): Decision<R> => ({ allowed: false, refusal });

export function isGroupId(principal: string): boolean {
  return principal.startsWith('S');
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
): Decision<Extract<PolicyRefusal, { code: 'not-requester' }>> {
  if (distribution.requesters.includes('*') || listed(distribution.requesters, userId, userGroups))
    return ALLOWED;
  return deny({ code: 'not-requester', alias: distribution.alias, requesters: distribution.requesters });
}

/**
 * The one gate for Approve. "Still pending" and "approved once already" are checked here, before
 * the lifecycle runs, so the person reads these words; the lifecycle's own checks of the same
 * rules (lifecycle.ts `notPending`, `already-approved`) are then reached only for an expired request.
 */
export function canApprove(
  distribution: DistributionConfig,
  request: RequestFacts,
  userId: string,
  userGroups: UserGroups,
): Decision {
  if (request.status !== 'PENDING') return notPending(request.status, request.decidedBy, request.dryRun);
  const { alias, approvers } = distribution;
  if (!isApprover(distribution, userId, userGroups)) return deny({ code: 'not-approver', alias, approvers });
  if (request.requesterId === userId && !distribution.allowSelfApproval) {
    return deny({ code: 'self-approval', alias, approvers });
  }
  if (request.approvals.some((a) => a.userId === userId)) {
    return deny({ code: 'already-approved', remaining: approvalsRemaining(request) });
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
    return deny({
      code: 'reject-not-approver',
      alias: distribution.alias,
      approvers: distribution.approvers,
    });
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
    return deny({ code: 'cancel-not-requester', requesterId: request.requesterId });
  }
  return ALLOWED;
}

function notPending(
  status: Exclude<RequestStatus, 'PENDING'>,
  decidedBy: string | undefined,
  dryRun = false,
): Decision {
  return deny({ code: 'not-pending', status, ...(decidedBy !== undefined ? { decidedBy } : {}), dryRun });
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
