import { type DistributionConfig, targetKey } from '../config/bot-config';
import { enqueue } from './outbox';
import type { Normalisation } from './paths';
import type { BreakGlassGrant } from './policy';
import {
  type AuditEvent,
  type InvalidationRequest,
  isTerminal,
  type Notice,
  type NoticeKind,
  type RequestStatus,
} from './request';

/**
 * The request lifecycle: a state machine with explicit transitions. Every
 * function here is pure: it takes the current request and returns the next one
 * (version bumped, notices queued, audit events) or a refusal saying why not.
 * The store writes the result conditionally on the version it was computed from.
 */

export const ALLOWED_TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  // PENDING → FAILED: the card could not be posted for good, so nobody could ever decide it.
  PENDING: ['APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'FAILED'],
  APPROVED: ['SUBMITTED', 'FAILED'],
  SUBMITTED: ['COMPLETED', 'FAILED'],
  COMPLETED: [],
  REJECTED: [],
  CANCELLED: [],
  EXPIRED: [],
  FAILED: [],
};

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly from: RequestStatus,
    readonly to: RequestStatus,
  ) {
    super(`illegal transition ${from} → ${to}`);
  }
}

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/**
 * Why a transition did not happen: a code with the facts that explain it, never words. The
 * refusals a person meets are `DecisionRefusal`s (slack/messages/decide-refusals.ts words them).
 */
export type Refusal =
  | DecisionRefusal
  /** The step is not one for the request's status. */
  | { code: 'wrong-status'; status: RequestStatus }
  /** Not yet: a deadline, a lease, a booked check or a notice's back-off is still ahead. */
  | { code: 'not-due' }
  /** Another deliverer holds the notice. */
  | { code: 'stale' }
  /** The notice is delivered already, or there was none to act on. */
  | { code: 'no-notice' }
  /** CloudFront's answer changes nothing worth a write. */
  | { code: 'no-change'; cloudFrontStatus: string };

/** Approve, Reject or Cancel on a request that is no longer PENDING, or is past its deadline. */
export type DecisionRefusal =
  | { code: 'not-pending'; status: RequestStatus; dryRun: boolean }
  | { code: 'expired'; decideBy: string }
  | { code: 'already-approved' };

export type RefusalCode = Refusal['code'];

export type Transition<R extends Refusal = Refusal> =
  | { ok: true; request: InvalidationRequest; events: AuditEvent[] }
  | { ok: false; refusal: R };

export function refuse<R extends Refusal>(refusal: R): Transition<R> {
  return { ok: false, refusal };
}

function notPending(request: InvalidationRequest, now?: Date): Transition<DecisionRefusal> {
  if (now && isExpired(request, now)) return refuse({ code: 'expired', decideBy: request.decideBy });
  return refuse({ code: 'not-pending', status: request.status, dryRun: request.dryRun });
}

export interface Step {
  to?: RequestStatus;
  actor: string;
  action: string;
  detail?: string;
  changes?: Partial<InvalidationRequest>;
  notices?: { kind: NoticeKind; actorId?: string; detail?: string }[];
}

/** Thread replies that ask approvers to decide: pointless, and misleading, once the request is decided. */
const ASKS_TO_DECIDE: ReadonlySet<NoticeKind> = new Set(['ask-approvers', 'reminder']);

/**
 * Applies one step: checks the transition, bumps the version, queues notices, writes the audit event.
 * Leaving PENDING takes any unsent ask to decide with it: a decided request is never "still waiting".
 * It never refuses (`Transition<never>`): a move the table does not allow is a bug, and throws.
 */
export function step(request: InvalidationRequest, now: Date, s: Step): Transition<never> {
  const to = s.to ?? request.status;
  if (to !== request.status && !canTransition(request.status, to)) {
    throw new IllegalTransitionError(request.status, to);
  }
  const version = request.version + 1;
  let outbox =
    request.status === 'PENDING' && to !== 'PENDING'
      ? request.outbox.filter((n) => !ASKS_TO_DECIDE.has(n.kind))
      : request.outbox;
  for (const n of s.notices ?? []) {
    outbox = enqueue(outbox, version, n.kind, now, {
      ...(n.actorId !== undefined ? { actorId: n.actorId } : {}),
      ...(n.detail !== undefined ? { detail: n.detail } : {}),
    });
  }
  const next: InvalidationRequest = {
    ...request,
    ...s.changes,
    ...(to !== request.status && isTerminal(to) && to !== 'COMPLETED' ? { endedAt: now.toISOString() } : {}),
    status: to,
    version,
    updatedAt: now.toISOString(),
    outbox,
  };
  const event: AuditEvent = {
    requestId: request.id,
    at: now.toISOString(),
    actor: s.actor,
    action: s.action,
    ...(to !== request.status ? { fromStatus: request.status, toStatus: to } : {}),
    ...(s.detail !== undefined ? { detail: s.detail } : {}),
  };
  return { ok: true, request: next, events: [event] };
}

export interface NewRequestInput {
  id: string;
  distribution: DistributionConfig;
  channel: string;
  requesterId: string;
  reason: string;
  paths: string[];
  wildcardCount: number;
  now: Date;
  expiryMinutes: number;
  dryRun: boolean;
  /** Minutes after creation for the one reminder to the approvers; 0 or absent: none. */
  remindAfterMinutes?: number;
  /** The requester skips approval; only policy's grantBreakGlass issues one, for this target. */
  breakGlass?: BreakGlassGrant;
  /** The requester is owed a DM saying the request is recorded (a modal closes without an answer). */
  confirmByDm?: boolean;
  /** What the parser changed, when it changed anything. */
  normalised?: Normalisation;
}

/**
 * A new request. A distribution that needs no approval starts APPROVED (and is
 * due for submission at once); everything else starts PENDING.
 */
export function newRequest(input: NewRequestInput): { request: InvalidationRequest; event: AuditEvent } {
  const at = input.now.toISOString();
  const grant = input.breakGlass;
  if (
    grant !== undefined &&
    (grant.target !== targetKey(input.distribution) || grant.userId !== input.requesterId)
  ) {
    throw new RangeError('a break-glass grant is for its own target and requester only');
  }
  const autoApproved = input.distribution.requiredApprovals === 0 || grant !== undefined;
  const decideBy = input.now.getTime() + input.expiryMinutes * 60_000;
  const remindAt = input.now.getTime() + (input.remindAfterMinutes ?? 0) * 60_000;
  const reminds = !autoApproved && (input.remindAfterMinutes ?? 0) > 0 && remindAt < decideBy;
  const firstNotices: NoticeKind[] = autoApproved
    ? grant !== undefined && input.distribution.approvers.length > 0
      ? ['card', 'break-glass-review']
      : ['card']
    : ['card', 'ask-approvers'];
  if (input.confirmByDm === true) firstNotices.push('requester-recorded');
  let outbox: Notice[] = [];
  for (const kind of firstNotices) outbox = enqueue(outbox, 1, kind, input.now);
  const request: InvalidationRequest = {
    id: input.id,
    status: autoApproved ? 'APPROVED' : 'PENDING',
    version: 1,
    distributionAlias: input.distribution.alias,
    distributionId: input.distribution.id,
    requesterId: input.requesterId,
    reason: input.reason,
    paths: input.paths,
    wildcardCount: input.wildcardCount,
    requiredApprovals: input.distribution.requiredApprovals,
    approvals: [],
    channel: input.channel,
    createdAt: at,
    updatedAt: at,
    decideBy: new Date(decideBy).toISOString(),
    submitAttempts: 0,
    dryRun: input.dryRun,
    outbox,
    ...(autoApproved ? { approvedAt: at, nextAttemptAt: at } : {}),
    ...(reminds ? { remindAt: new Date(remindAt).toISOString() } : {}),
    ...(grant !== undefined ? { breakGlass: true } : {}),
    ...(input.distribution.roleArn !== undefined ? { roleArn: input.distribution.roleArn } : {}),
    ...(input.distribution.tenantId !== undefined ? { tenantId: input.distribution.tenantId } : {}),
    ...(input.normalised !== undefined ? { normalised: input.normalised } : {}),
  };
  const event: AuditEvent = {
    requestId: input.id,
    at,
    actor: input.requesterId,
    // Break-glass is its own action in the audit trail, with the reason, so a review finds it.
    action: grant !== undefined ? 'break-glass' : 'requested',
    toStatus: request.status,
    detail:
      grant !== undefined
        ? `${input.paths.length} path(s); approval skipped; reason: ${grant.reason}`
        : autoApproved
          ? `${input.paths.length} path(s); no approval required, approved automatically`
          : `${input.paths.length} path(s)`,
  };
  return { request, event };
}

/** Records one approval; the approval that reaches the threshold moves the request to APPROVED. */
export function approve(
  request: InvalidationRequest,
  userId: string,
  now: Date,
): Transition<DecisionRefusal> {
  if (request.status !== 'PENDING' || isExpired(request, now)) return notPending(request, now);
  if (request.approvals.some((a) => a.userId === userId)) {
    return refuse({ code: 'already-approved' });
  }
  const approvals = [...request.approvals, { userId, at: now.toISOString() }];
  const enough = approvals.length >= request.requiredApprovals;
  return step(request, now, {
    actor: userId,
    action: 'approved',
    detail: `${approvals.length} of ${request.requiredApprovals}`,
    changes: enough
      ? { approvals, approvedAt: now.toISOString(), nextAttemptAt: now.toISOString() }
      : { approvals },
    notices: [{ kind: 'approved', actorId: userId }, { kind: 'card' }],
    ...(enough ? { to: 'APPROVED' as const } : {}),
  });
}

export function reject(
  request: InvalidationRequest,
  userId: string,
  now: Date,
  reason?: string,
): Transition<DecisionRefusal> {
  if (request.status !== 'PENDING' || isExpired(request, now)) return notPending(request, now);
  return step(request, now, {
    to: 'REJECTED',
    actor: userId,
    action: 'rejected',
    ...(reason !== undefined ? { detail: reason } : {}),
    changes: { decidedBy: userId },
    notices: [
      { kind: 'rejected', actorId: userId, ...(reason !== undefined ? { detail: reason } : {}) },
      { kind: 'requester-rejected', actorId: userId, ...(reason !== undefined ? { detail: reason } : {}) },
      { kind: 'card' },
    ],
  });
}

export function cancel(request: InvalidationRequest, userId: string, now: Date): Transition<DecisionRefusal> {
  if (request.status !== 'PENDING' || isExpired(request, now)) return notPending(request, now);
  return step(request, now, {
    to: 'CANCELLED',
    actor: userId,
    action: 'cancelled',
    changes: { decidedBy: userId },
    notices: [{ kind: 'cancelled', actorId: userId }, { kind: 'card' }],
  });
}

export function isExpired(request: InvalidationRequest, now: Date): boolean {
  return request.status === 'PENDING' && Date.parse(request.decideBy) <= now.getTime();
}

export function expire(request: InvalidationRequest, now: Date): Transition {
  if (request.status !== 'PENDING') return notPending(request);
  // Its decision deadline is still ahead.
  if (!isExpired(request, now)) return refuse({ code: 'not-due' });
  return step(request, now, {
    to: 'EXPIRED',
    actor: 'bot',
    action: 'expired',
    notices: [{ kind: 'expired' }, { kind: 'requester-expired' }, { kind: 'card' }],
  });
}
