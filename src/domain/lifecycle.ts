import { doublingBackoffMs } from './backoff';
import { allBatchesDone, type BatchProgress } from './batches';
import { type CheckSchedule, firstCheckAt, nextCheckAt } from './check-schedule';
import { type DistributionConfig, targetKey } from './config';
import {
  claim,
  enqueue,
  findNotice,
  isDeliverable,
  MAX_NOTICE_ATTEMPTS,
  release,
  remove,
  retryDelayMs,
} from './outbox';
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
import { batchToSubmit, requestBatches, submittedBatches } from './request-batches';

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
  const words =
    request.dryRun && request.status === 'SUBMITTED'
      ? 'approved (dry run: nothing is sent)'
      : STATUS_WORDS[request.status];
  return refuse('not-pending', `This request is no longer pending: it is ${words}.`);
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
 */
export function step(request: InvalidationRequest, now: Date, s: Step): Transition {
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
  // All of them, the card first: the messages that follow it (the approvers' ping, a DM) go in
  // the same batch, without a claim write of their own (the messenger holds them back if the
  // card did not make it).
  const held = [
    ...request.outbox.filter((n) => n.kind === 'card'),
    ...request.outbox.filter((n) => n.kind !== 'card'),
  ];
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
    notices: [
      { kind: 'rejected', actorId: userId, ...(reason !== undefined ? { detail: reason } : {}) },
      { kind: 'requester-rejected', actorId: userId, ...(reason !== undefined ? { detail: reason } : {}) },
      { kind: 'card' },
    ],
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
    notices: [{ kind: 'expired' }, { kind: 'requester-expired' }, { kind: 'card' }],
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
  // A SUBMITTED request is claimed again for each further batch the in-progress budget allows.
  const laterBatch = request.status === 'SUBMITTED' && batchToSubmit(request) !== undefined;
  if (request.status !== 'APPROVED' && !laterBatch)
    return refuse('wrong-status', `The request is ${STATUS_WORDS[request.status]}.`);
  if (!isDue(request, now)) return refuse('not-due', 'Another submission attempt is in progress or waiting.');
  return step(request, now, {
    actor: 'bot',
    action: 'submission-claimed',
    changes: { nextAttemptAt: new Date(now.getTime() + SUBMIT_LEASE_MS).toISOString() },
  });
}

/**
 * CloudFront has batch `batchNumber` (1 unless the request is split, see
 * ./batches). The first batch moves the request to SUBMITTED; later ones add
 * to it. `invalidationId` stays the first batch's.
 */
export function recordSubmission(
  request: InvalidationRequest,
  invalidation: { invalidationId: string; status: string },
  now: Date,
  schedule: CheckSchedule,
  batchNumber = 1,
): Transition {
  const first = request.status === 'APPROVED';
  if (!first && !(request.status === 'SUBMITTED' && batchToSubmit(request)?.number === batchNumber))
    return refuse('wrong-status', `The request is ${STATUS_WORDS[request.status]}.`);
  const { lastError: _cleared, ...rest } = request;
  const batch: BatchProgress = {
    number: batchNumber,
    invalidationId: invalidation.invalidationId,
    status: invalidation.status,
    submittedAt: now.toISOString(),
  };
  const batches = [...submittedBatches(request), batch];
  const total = requestBatches(request).length;
  return step({ ...rest }, now, {
    to: 'SUBMITTED',
    actor: 'bot',
    action: 'submitted',
    detail:
      total > 1
        ? `${invalidation.invalidationId} (batch ${batchNumber} of ${total})`
        : invalidation.invalidationId,
    changes: {
      ...(first
        ? {
            invalidationId: invalidation.invalidationId,
            cloudFrontStatus: invalidation.status,
            submittedAt: now.toISOString(),
          }
        : {}),
      batches,
      nextAttemptAt: firstCheckAt(now, schedule).toISOString(),
    },
    // The thread hears of the first batch; the card shows the progress of the rest.
    notices: first ? [{ kind: 'submitted' }, { kind: 'card' }] : [{ kind: 'card' }],
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
  // A later batch waits the same way, while the batches CloudFront has carry on.
  const laterBatch = request.status === 'SUBMITTED' && batchToSubmit(request) !== undefined;
  if (request.status !== 'APPROVED' && !laterBatch)
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

/** What CloudFront reported for one batch. */
export interface BatchStatus {
  number: number;
  status: string;
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
 * Records what CloudFront answered a claimed check (one status, or one per
 * batch of a split request). The next check is already booked by the claim, so
 * an answer that changes nothing is not written (`no-change`); what does:
 * Completed, a batch finished (the next one is submitted at once), a new
 * status, the one "still in progress" reply, and a card last refreshed
 * CARD_REFRESH_MS ago. Idempotent across overlapping runs: a request already
 * completed refuses, and the reply is sent once.
 */
export function recordCheck(
  request: InvalidationRequest,
  reported: string | readonly BatchStatus[],
  now: Date,
  timing: CheckTiming,
): Transition {
  if (request.status !== 'SUBMITTED')
    return refuse('wrong-status', `The request is ${STATUS_WORDS[request.status]}.`);
  // One status (an unsplit request) is the status of every batch still in progress.
  const statuses = new Map(
    typeof reported === 'string'
      ? submittedBatches(request).map((b) => [b.number, b.status === 'Completed' ? b.status : reported])
      : reported.map((r) => [r.number, r.status]),
  );
  const at = now.toISOString();
  const batches = submittedBatches(request).map((b): BatchProgress => {
    const status = statuses.get(b.number) ?? b.status;
    if (b.status === 'Completed' || status !== 'Completed') return { ...b, status };
    return { ...b, status, completedAt: at };
  });
  const plan = requestBatches(request);
  // For a split request, CloudFront's word on the request as a whole: Completed only when every batch is.
  const running = batches.find((b) => b.status !== 'Completed');
  const cloudFrontStatus = allBatchesDone(plan, batches) ? 'Completed' : (running?.status ?? 'InProgress');
  const checked = { lastCheckedAt: at, cloudFrontStatus, batches };
  const withBatches = { ...request, batches };
  if (!allBatchesDone(plan, batches) && batchToSubmit(withBatches) !== undefined) {
    // A batch finished and made room for the next: submit it now.
    const completedNow = batches.filter(
      (b, i) => b.status === 'Completed' && submittedBatches(request)[i]?.status !== 'Completed',
    );
    return step(request, now, {
      actor: 'bot',
      action: 'checked',
      detail: completedNow.map((b) => `batch ${b.number} Completed`).join(', ') || cloudFrontStatus,
      changes: { ...checked, nextAttemptAt: at },
      notices: [{ kind: 'card' }],
    });
  }
  if (allBatchesDone(plan, batches)) {
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
  const before = submittedBatches(request);
  const statusChanged =
    cloudFrontStatus !== request.cloudFrontStatus || batches.some((b, i) => b.status !== before[i]?.status);
  const cardStale =
    now.getTime() - Date.parse(request.lastCheckedAt ?? request.submittedAt ?? request.updatedAt) >=
    CARD_REFRESH_MS;
  if (!tellStill && !statusChanged && !cardStale) {
    return refuse('no-change', `CloudFront still reports ${cloudFrontStatus}; nothing to record.`);
  }
  // The next check is already booked by the claim (claimCheck).
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
  failure: { retryAfterMs?: number; permanent?: boolean; error: string; message?: string },
): Transition {
  const notice = findNotice(request, noticeId);
  if (!notice) return refuse('no-notice', 'Already delivered.');
  const givingUp = notice.attempts >= MAX_NOTICE_ATTEMPTS || failure.permanent === true;
  if (givingUp && notice.kind === 'card' && request.cardTs === undefined) {
    return cardUndeliverable(request, notice, now, failure);
  }
  if (givingUp) {
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

/**
 * The card can never be posted (the bot is not in the channel, the channel is gone, a scope is
 * missing). Nobody can decide a PENDING request without its card, so it ends FAILED, and the
 * requester is told by DM with the fix; the thread replies it owed can never be posted and go
 * too. A request already approved goes on (its invalidation may be on its way) and its end
 * still reaches the requester by DM; only the card is dropped, as any undeliverable notice.
 */
function cardUndeliverable(
  request: InvalidationRequest,
  notice: Notice,
  now: Date,
  failure: { error: string; message?: string },
): Transition {
  const dropped: AuditEvent = {
    requestId: request.id,
    at: now.toISOString(),
    actor: 'bot',
    action: 'notice-dropped',
    detail: `${notice.kind} after ${notice.attempts} attempt(s): ${failure.error}`,
  };
  if (request.status !== 'PENDING') {
    const next = noticeStep(request, now, remove(request.outbox, notice.id));
    if (next.ok) next.events.push(dropped);
    return next;
  }
  const dmsOnly = request.outbox.filter(
    (n) => n.id !== notice.id && n.kind.startsWith('requester-') && n.kind !== 'requester-recorded',
  );
  const { remindAt: _none, ...rest } = request;
  const failed = step({ ...rest, outbox: dmsOnly }, now, {
    to: 'FAILED',
    actor: 'bot',
    action: 'failed',
    detail: `card not posted: ${failure.error}`,
    changes: { lastError: `Slack would not post the request card (${failure.error}).` },
    // The messenger's words for the fix (slack/messages), or Slack's code when it gave none.
    notices: [{ kind: 'requester-card-failed', detail: failure.message ?? `\`${failure.error}\`` }],
  });
  if (failed.ok) failed.events.unshift(dropped);
  return failed;
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
