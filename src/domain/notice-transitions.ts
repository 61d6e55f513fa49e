import { refuse, step, type Transition } from './lifecycle';
import {
  claim,
  findNotice,
  isDeliverable,
  MAX_NOTICE_ATTEMPTS,
  release,
  remove,
  retryDelayMs,
} from './outbox';
import type { AuditEvent, InvalidationRequest, Notice } from './request';

/** Outbox bookkeeping. These do not change the status and leave no audit event, except a dropped notice. */

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

export function claimNotice(request: InvalidationRequest, noticeId: string, now: Date): Transition {
  return claimNotices(request, [noticeId], now);
}

/** Claims several notices in one write, so a deliverer pays one write for a batch. All or none. */
export function claimNotices(
  request: InvalidationRequest,
  noticeIds: readonly string[],
  now: Date,
): Transition {
  if (noticeIds.length === 0) return refuse({ code: 'no-notice' });
  let outbox = request.outbox;
  for (const noticeId of noticeIds) {
    const notice = findNotice(request, noticeId);
    if (!notice) return refuse({ code: 'no-notice' });
    if (notice.claimedUntil !== undefined && Date.parse(notice.claimedUntil) > now.getTime()) {
      return refuse({ code: 'stale' });
    }
    // Waiting out a back-off, or a thread reply whose card is not posted yet.
    if (!isDeliverable(notice, request, now)) return refuse({ code: 'not-due' });
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
  if (held.length === 0) return refuse({ code: 'no-notice' });
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
  if (!findNotice(request, noticeId)) return refuse({ code: 'no-notice' });
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
  if (!notice) return refuse({ code: 'no-notice' });
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
    // The messenger's words for the fix (slack/messages); without them the DM says it generally.
    notices: [
      {
        kind: 'requester-card-failed',
        ...(failure.message !== undefined ? { detail: failure.message } : {}),
      },
    ],
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
