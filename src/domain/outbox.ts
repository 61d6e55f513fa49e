import { doublingBackoffMs } from './backoff';
import type { InvalidationRequest, Notice, NoticeKind } from './request';

/**
 * The outbox: notices owed to Slack, queued in the same write as the change
 * that caused them. Delivery claims a notice with a lease before posting, so
 * two deliverers (a listener and a poller, or two pollers) never post the same
 * notice twice; a crashed deliverer's lease runs out and the notice is retried.
 */

export const NOTICE_LEASE_MS = 30_000;
/** After this many failed attempts a notice is dropped (and audited) rather than retried forever. */
export const MAX_NOTICE_ATTEMPTS = 8;

/** Adds a notice. Ids are unique because every write bumps the request version. */
export function enqueue(
  outbox: readonly Notice[],
  version: number,
  kind: NoticeKind,
  now: Date,
  extra: { actorId?: string; detail?: string } = {},
): Notice[] {
  const notice: Notice = {
    id: `${kind}@${version}`,
    kind,
    createdAt: now.toISOString(),
    attempts: 0,
    ...(extra.actorId !== undefined ? { actorId: extra.actorId } : {}),
    ...(extra.detail !== undefined ? { detail: extra.detail } : {}),
  };
  // Card refreshes collapse: an unclaimed older refresh is superseded by this one.
  // A claimed one is mid-delivery with older state, so the new one still follows it.
  const superseded =
    kind === 'card' ? outbox.filter((n) => n.kind === 'card' && n.claimedUntil === undefined) : [];
  const kept = outbox.filter((n) => !superseded.includes(n));
  // A superseded refresh may have been waiting out Slack's Retry-After: the new one keeps waiting.
  const waits = superseded.flatMap((n) => (n.notBefore ? [n.notBefore] : [])).sort();
  const notBefore = waits[waits.length - 1];
  return [...kept, notBefore ? { ...notice, notBefore } : notice];
}

/** Whether a notice may be delivered now: not waiting out a back-off, not held by another deliverer. */
export function isDeliverable(notice: Notice, request: InvalidationRequest, now: Date): boolean {
  if (notice.notBefore !== undefined && Date.parse(notice.notBefore) > now.getTime()) return false;
  if (notice.claimedUntil !== undefined && Date.parse(notice.claimedUntil) > now.getTime()) return false;
  // Thread replies and DMs link to the card's thread: the card goes first, while it may still be
  // posted. Once Slack has refused it for good, they are not held forever: the DM goes without
  // a link, and a thread reply fails and is dropped, so the request leaves the poller.
  if (notice.kind !== 'card' && awaitingCard(request)) return false;
  return true;
}

/** The card is not posted yet, but a card notice is queued to post it. */
function awaitingCard(request: InvalidationRequest): boolean {
  return request.cardTs === undefined && request.outbox.some((n) => n.kind === 'card');
}

/** Deliverable notices in the order they were queued, the card first. */
export function deliverableNotices(request: InvalidationRequest, now: Date): Notice[] {
  const due = request.outbox.filter((n) => isDeliverable(n, request, now));
  const cards = due.filter((n) => n.kind === 'card');
  if (awaitingCard(request)) return cards.slice(0, 1);
  return [...cards, ...due.filter((n) => n.kind !== 'card')];
}

export function findNotice(request: InvalidationRequest, id: string): Notice | undefined {
  return request.outbox.find((n) => n.id === id);
}

function replaceNotice(outbox: readonly Notice[], id: string, next: Notice | undefined): Notice[] {
  const out: Notice[] = [];
  for (const n of outbox) {
    if (n.id !== id) out.push(n);
    else if (next) out.push(next);
  }
  return out;
}

export function claim(outbox: readonly Notice[], id: string, now: Date, leaseMs = NOTICE_LEASE_MS): Notice[] {
  const n = outbox.find((x) => x.id === id);
  if (!n) return [...outbox];
  const claimedUntil = new Date(now.getTime() + leaseMs).toISOString();
  return replaceNotice(outbox, id, { ...n, attempts: n.attempts + 1, claimedUntil });
}

export function remove(outbox: readonly Notice[], id: string): Notice[] {
  return replaceNotice(outbox, id, undefined);
}

/** Back-off for a notice that failed: Slack's Retry-After when given, else exponential from 5 s, capped. */
export function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && retryAfterMs > 0) return retryAfterMs;
  return doublingBackoffMs(attempts, 5_000, 10 * 60_000);
}

export function release(outbox: readonly Notice[], id: string, now: Date, delayMs: number): Notice[] {
  const n = outbox.find((x) => x.id === id);
  if (!n) return [...outbox];
  const { claimedUntil: _released, ...rest } = n;
  return replaceNotice(outbox, id, { ...rest, notBefore: new Date(now.getTime() + delayMs).toISOString() });
}
