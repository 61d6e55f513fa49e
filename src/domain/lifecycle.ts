import { doublingBackoffMs } from './backoff';
import { type CheckSchedule, firstCheckAt, nextCheckAt } from './check-schedule';
import type { DistributionConfig } from './config';
import {
  claim,
  deliverableNotices,
  enqueue,
  findNotice,
  isDeliverable,
  MAX_NOTICE_ATTEMPTS,
  release,
  remove,
  retryDelayMs,
} from './outbox';
import type { AuditEvent, InvalidationRequest, Notice, NoticeKind, RequestStatus } from './request';

/**
 * The request lifecycle: a state machine with explicit transitions. Every
 * function here is pure: it takes the current request and returns the next one
 * (version bumped, notices queued, audit events) or a refusal saying why not.
 * The store writes the result conditionally on the version it was computed from.
 */

export const ALLOWED_TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  PENDING: ['APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED'],
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

export type RefusalCode =
  | 'not-pending'
  | 'expired'
  | 'already-approved'
  | 'wrong-status'
  | 'not-due'
  | 'stale'
  | 'no-notice'
  | 'no-change';

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export type Transition =
  | { ok: true; request: InvalidationRequest; events: AuditEvent[] }
  | { ok: false; refusal: Refusal };

const STATUS_WORDS: Record<RequestStatus, string> = {
  PENDING: 'waiting for approval',
  APPROVED: 'approved',
  SUBMITTED: 'submitted to CloudFront',
  COMPLETED: 'completed',
  REJECTED: 'rejected',
  CANCELLED: 'cancelled',
  EXPIRED: 'expired',
  FAILED: 'failed',
};

export function describeStatus(status: RequestStatus): string {
  return STATUS_WORDS[status];
}

function refuse(code: RefusalCode, message: string): Transition {
  return { ok: false, refusal: { code, message } };
}

function notPending(request: InvalidationRequest, now?: Date): Transition {
  if (now && isExpired(request, now)) {
    return refuse('expired', `This request expired at ${request.decideBy} without a decision.`);
  }
  return refuse('not-pending', `This request is no longer pending: it is ${STATUS_WORDS[request.status]}.`);
}

interface Step {
  to?: RequestStatus;
  actor: string;
  action: string;
  detail?: string;
  changes?: Partial<InvalidationRequest>;
  notices?: { kind: NoticeKind; actorId?: string; detail?: string }[];
}

/** Applies one step: checks the transition, bumps the version, queues notices, writes the audit event. */
function step(request: InvalidationRequest, now: Date, s: Step): Transition {
  const to = s.to ?? request.status;
  if (to !== request.status && !canTransition(request.status, to)) {
    throw new IllegalTransitionError(request.status, to);
  }
  const version = request.version + 1;
  let outbox = request.outbox;
  for (const n of s.notices ?? []) {
    outbox = enqueue(outbox, version, n.kind, now, {
      ...(n.actorId !== undefined ? { actorId: n.actorId } : {}),
      ...(n.detail !== undefined ? { detail: n.detail } : {}),
    });
  }
  const next: InvalidationRequest = {
    ...request,
    ...s.changes,
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
  /** The requester is owed a DM saying the request is recorded (a modal closes without an answer). */
  confirmByDm?: boolean;
}

/**
 * A new request. A distribution that needs no approval starts APPROVED (and is
 * due for submission at once); everything else starts PENDING.
 */
export function newRequest(input: NewRequestInput): { request: InvalidationRequest; event: AuditEvent } {
  const at = input.now.toISOString();
  const autoApproved = input.distribution.requiredApprovals === 0;
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
    decideBy: new Date(input.now.getTime() + input.expiryMinutes * 60_000).toISOString(),
    submitAttempts: 0,
    dryRun: input.dryRun,
    outbox: input.confirmByDm
      ? enqueue(enqueue([], 1, 'card', input.now), 1, 'requester-recorded', input.now)
      : enqueue([], 1, 'card', input.now),
    ...(autoApproved ? { approvedAt: at, nextAttemptAt: at } : {}),
    ...(input.distribution.roleArn !== undefined ? { roleArn: input.distribution.roleArn } : {}),
  };
  const event: AuditEvent = {
    requestId: input.id,
    at,
    actor: input.requesterId,
    action: 'requested',
    toStatus: request.status,
    detail: autoApproved
      ? `${input.paths.length} path(s); no approval required, approved automatically`
      : `${input.paths.length} path(s)`,
  };
  return { request, event };
}

/**
 * The creator holds a new request's first notices (its card) from the very first
 * write: it posts them right after storing without a claim write of its own, and
 * a poller that sees the new request meanwhile leaves them alone. If the creator
 * stops before posting, the lease runs out and the poller posts them.
 *
 * Only a PENDING request: one approved automatically is submitted right away, and
 * that write queues a card that replaces this one, which a held card would not be.
 */
export function holdFirstNotices(
  request: InvalidationRequest,
  now: Date,
): { request: InvalidationRequest; held: Notice[] } {
  if (request.status !== 'PENDING') return { request, held: [] };
  const held = deliverableNotices(request, now);
  let outbox = request.outbox;
  for (const notice of held) outbox = claim(outbox, notice.id, now);
  return { request: { ...request, outbox }, held };
}

/** Records one approval; the approval that reaches the threshold moves the request to APPROVED. */
export function approve(request: InvalidationRequest, userId: string, now: Date): Transition {
  if (request.status !== 'PENDING' || isExpired(request, now)) return notPending(request, now);
  if (request.approvals.some((a) => a.userId === userId)) {
    return refuse('already-approved', 'You already approved this request.');
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

export function reject(request: InvalidationRequest, userId: string, now: Date, reason?: string): Transition {
  if (request.status !== 'PENDING' || isExpired(request, now)) return notPending(request, now);
  return step(request, now, {
    to: 'REJECTED',
    actor: userId,
    action: 'rejected',
    ...(reason !== undefined ? { detail: reason } : {}),
    changes: { decidedBy: userId },
    notices: [{ kind: 'rejected', actorId: userId }, { kind: 'card' }],
  });
}

export function cancel(request: InvalidationRequest, userId: string, now: Date): Transition {
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
  if (!isExpired(request, now))
    return refuse('not-due', 'The request has not reached its decision deadline yet.');
  return step(request, now, {
    to: 'EXPIRED',
    actor: 'bot',
    action: 'expired',
    notices: [{ kind: 'expired' }, { kind: 'card' }],
  });
}

export function isDue(request: InvalidationRequest, now: Date): boolean {
  return request.nextAttemptAt === undefined || Date.parse(request.nextAttemptAt) <= now.getTime();
}

/** How long a submitter may hold an approved request before another may try (a crashed Lambda's lease). */
export const SUBMIT_LEASE_MS = 60_000;

/**
 * Claims an approved, due request for one submission attempt. Only the writer
 * that wins this claim calls CloudFront, so concurrent triggers (the last
 * approval, the poller) send one CreateInvalidation; a crash is retried when
 * the lease runs out, with the same CallerReference.
 */
export function claimForSubmission(request: InvalidationRequest, now: Date): Transition {
  if (request.status !== 'APPROVED')
    return refuse('wrong-status', `The request is ${STATUS_WORDS[request.status]}.`);
  if (!isDue(request, now)) return refuse('not-due', 'Another submission attempt is in progress or waiting.');
  return step(request, now, {
    actor: 'bot',
    action: 'submission-claimed',
    changes: { nextAttemptAt: new Date(now.getTime() + SUBMIT_LEASE_MS).toISOString() },
  });
}

/** Submitted: the first status check is booked a few seconds on (`schedule`, see ./check-schedule). */
export function recordSubmission(
  request: InvalidationRequest,
  invalidation: { invalidationId: string; status: string },
  now: Date,
  schedule: CheckSchedule,
): Transition {
  if (request.status !== 'APPROVED')
    return refuse('wrong-status', `The request is ${STATUS_WORDS[request.status]}.`);
  const { lastError: _cleared, ...rest } = request;
  return step({ ...rest }, now, {
    to: 'SUBMITTED',
    actor: 'bot',
    action: 'submitted',
    detail: invalidation.invalidationId,
    changes: {
      invalidationId: invalidation.invalidationId,
      cloudFrontStatus: invalidation.status,
      submittedAt: now.toISOString(),
      nextAttemptAt: firstCheckAt(now, schedule).toISOString(),
    },
    notices: [{ kind: 'submitted' }, { kind: 'card' }],
  });
}

/** Back-off between submission attempts after transient errors: 15 s doubling, capped at 5 minutes. */
export function submitBackoffMs(failedAttempts: number): number {
  return doublingBackoffMs(failedAttempts, 15_000, 5 * 60_000);
}

/** A transient CloudFront error: stay APPROVED, retry later; the thread is told once, on the first wait. */
export function deferSubmission(
  request: InvalidationRequest,
  error: { code: string; message: string },
  now: Date,
): Transition {
  if (request.status !== 'APPROVED')
    return refuse('wrong-status', `The request is ${STATUS_WORDS[request.status]}.`);
  const attempts = request.submitAttempts + 1;
  return step(request, now, {
    actor: 'bot',
    action: 'submission-deferred',
    detail: `${error.code}: attempt ${attempts}`,
    changes: {
      submitAttempts: attempts,
      lastError: error.message,
      nextAttemptAt: new Date(now.getTime() + submitBackoffMs(attempts)).toISOString(),
    },
    notices: attempts === 1 ? [{ kind: 'queued', detail: error.message }, { kind: 'card' }] : [],
  });
}

/** A permanent error: FAILED, with the actionable message in the thread and a DM to the requester. */
export function fail(
  request: InvalidationRequest,
  error: { code: string; message: string },
  now: Date,
): Transition {
  if (request.status !== 'APPROVED' && request.status !== 'SUBMITTED') {
    return refuse('wrong-status', `The request is ${STATUS_WORDS[request.status]}.`);
  }
  const { nextAttemptAt: _none, ...rest } = request;
  return step(rest, now, {
    to: 'FAILED',
    actor: 'bot',
    action: 'failed',
    detail: error.code,
    changes: { lastError: error.message },
    notices: [
      { kind: 'failed', detail: error.message },
      { kind: 'requester-failed', detail: error.message },
      { kind: 'card' },
    ],
  });
}

/**
 * The card shows CloudFront's status and when it was last checked. Checks come
 * every few seconds, and refreshing the card for each would cost a Slack call
 * and a write each: an unchanged answer refreshes it at most this often.
 */
export const CARD_REFRESH_MS = 60_000;

export interface CheckTiming {
  /** After this long in progress, the thread gets one "still in progress" reply. */
  stillInProgressAfterMs: number;
}

/**
 * Claims the next status check of a submitted invalidation, before CloudFront
 * is asked: the write books the slot after this one (`nextAttemptAt`, see
 * ./check-schedule), conditional on the version, so of overlapping runs and
 * kicks waking for the same slot only the winner calls GetInvalidation.
 *
 * ```
 *  slot n due ──▶ run A: claim (nextAttemptAt := slot n+1) ✔ ──▶ GetInvalidation ──▶ record if changed
 *             └─▶ run B: claim ✘ (version moved; re-read: not due until slot n+1) ──▶ sleeps
 * ```
 *
 * The booked slot is also the lease: a claimer that dies, or whose call is
 * aborted, leaves the request due again at the next slot. Bookkeeping only: no
 * audit event, no notice.
 */
export function claimCheck(request: InvalidationRequest, now: Date, schedule: CheckSchedule): Transition {
  if (request.status !== 'SUBMITTED')
    return refuse('wrong-status', `The request is ${STATUS_WORDS[request.status]}.`);
  if (!isDue(request, now)) return refuse('not-due', 'The next status check is not due yet.');
  const submittedAt = new Date(request.submittedAt ?? request.updatedAt);
  return {
    ok: true,
    request: {
      ...request,
      nextAttemptAt: nextCheckAt(submittedAt, now, schedule).toISOString(),
      version: request.version + 1,
      updatedAt: now.toISOString(),
    },
    events: [],
  };
}

/**
 * Records what CloudFront answered a claimed check. The next check is already
 * booked by the claim, so an answer that changes nothing is not written
 * (`no-change`); what does change something: Completed, a new CloudFront
 * status, the one "still in progress" reply, and a card last refreshed
 * CARD_REFRESH_MS ago. Idempotent across overlapping runs: a request already
 * completed refuses, and the reply is sent once.
 */
export function recordCheck(
  request: InvalidationRequest,
  cloudFrontStatus: string,
  now: Date,
  timing: CheckTiming,
): Transition {
  if (request.status !== 'SUBMITTED')
    return refuse('wrong-status', `The request is ${STATUS_WORDS[request.status]}.`);
  const checked = { lastCheckedAt: now.toISOString(), cloudFrontStatus };
  if (cloudFrontStatus === 'Completed') {
    const { nextAttemptAt: _none, ...rest } = request;
    return step(rest, now, {
      to: 'COMPLETED',
      actor: 'bot',
      action: 'completed',
      changes: { ...checked, completedAt: now.toISOString() },
      notices: [{ kind: 'completed' }, { kind: 'requester-completed' }, { kind: 'card' }],
    });
  }
  const since = Date.parse(request.submittedAt ?? request.updatedAt);
  const tellStill =
    request.stillInProgressNotifiedAt === undefined && now.getTime() - since >= timing.stillInProgressAfterMs;
  const statusChanged = cloudFrontStatus !== request.cloudFrontStatus;
  const cardStale =
    now.getTime() - Date.parse(request.lastCheckedAt ?? request.submittedAt ?? request.updatedAt) >=
    CARD_REFRESH_MS;
  if (!tellStill && !statusChanged && !cardStale) {
    return refuse('no-change', `CloudFront still reports ${cloudFrontStatus}; nothing to record.`);
  }
  return step(request, now, {
    actor: 'bot',
    action: 'checked',
    detail: cloudFrontStatus,
    changes: {
      ...checked,
      ...(tellStill ? { stillInProgressNotifiedAt: now.toISOString() } : {}),
    },
    notices: tellStill ? [{ kind: 'still-in-progress' }, { kind: 'card' }] : [{ kind: 'card' }],
  });
}

/** Outbox bookkeeping. These do not change the status and leave no audit event, except a dropped notice. */

export function claimNotice(request: InvalidationRequest, noticeId: string, now: Date): Transition {
  return claimNotices(request, [noticeId], now);
}

/** Claims several notices in one write, so a deliverer pays one write for a batch. All or none. */
export function claimNotices(
  request: InvalidationRequest,
  noticeIds: readonly string[],
  now: Date,
): Transition {
  if (noticeIds.length === 0) return refuse('no-notice', 'Nothing to deliver.');
  let outbox = request.outbox;
  for (const noticeId of noticeIds) {
    const notice = findNotice(request, noticeId);
    if (!notice) return refuse('no-notice', 'Already delivered.');
    if (notice.claimedUntil !== undefined && Date.parse(notice.claimedUntil) > now.getTime()) {
      return refuse('stale', 'Another deliverer holds this notice.');
    }
    // Waiting out a back-off, or a thread reply whose card is not posted yet.
    if (!isDeliverable(notice, request, now)) return refuse('not-due', 'The notice is not deliverable yet.');
    outbox = claim(outbox, noticeId, now);
  }
  return noticeStep(request, now, outbox);
}

/**
 * Gives back claimed notices that were never attempted (Slack pushed back on an
 * earlier one): the claim and the attempt it counted are undone, and they wait
 * `delayMs` like the one that was refused.
 */
export function returnNotices(
  request: InvalidationRequest,
  noticeIds: readonly string[],
  now: Date,
  delayMs: number,
): Transition {
  const held = noticeIds.filter((id) => findNotice(request, id)?.claimedUntil !== undefined);
  if (held.length === 0) return refuse('no-notice', 'Nothing to give back.');
  let outbox = request.outbox;
  for (const noticeId of held) {
    outbox = release(outbox, noticeId, now, delayMs).map((n) =>
      n.id === noticeId ? { ...n, attempts: Math.max(0, n.attempts - 1) } : n,
    );
  }
  return noticeStep(request, now, outbox);
}

export function completeNotice(
  request: InvalidationRequest,
  noticeId: string,
  now: Date,
  cardTs?: string,
  cardPermalink?: string,
): Transition {
  if (!findNotice(request, noticeId)) return refuse('no-notice', 'Already delivered.');
  const next = noticeStep(request, now, remove(request.outbox, noticeId));
  if (next.ok && cardTs !== undefined && request.cardTs === undefined) {
    next.request.cardTs = cardTs;
    if (cardPermalink !== undefined) next.request.cardPermalink = cardPermalink;
  }
  return next;
}

export function retryNotice(
  request: InvalidationRequest,
  noticeId: string,
  now: Date,
  failure: { retryAfterMs?: number; permanent?: boolean; error: string },
): Transition {
  const notice = findNotice(request, noticeId);
  if (!notice) return refuse('no-notice', 'Already delivered.');
  if (notice.attempts >= MAX_NOTICE_ATTEMPTS || failure.permanent) {
    const dropped = noticeStep(request, now, remove(request.outbox, noticeId));
    if (dropped.ok) {
      dropped.events.push({
        requestId: request.id,
        at: now.toISOString(),
        actor: 'bot',
        action: 'notice-dropped',
        detail: `${notice.kind} after ${notice.attempts} attempt(s): ${failure.error}`,
      });
    }
    return dropped;
  }
  return noticeStep(
    request,
    now,
    release(request.outbox, noticeId, now, retryDelayMs(notice.attempts, failure.retryAfterMs)),
  );
}

function noticeStep(
  request: InvalidationRequest,
  now: Date,
  outbox: InvalidationRequest['outbox'],
): Transition {
  return {
    ok: true,
    request: { ...request, outbox, version: request.version + 1, updatedAt: now.toISOString() },
    events: [],
  };
}
