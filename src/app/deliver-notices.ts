import { claimNotices, completeNotice, retryNotice, returnNotices } from '../domain/notice-transitions';
import { deliverableNotices, findNotice } from '../domain/outbox';
import type { InvalidationRequest, Notice } from '../domain/request';
import { asChange } from './as-change';
import type { BotDeps } from './deps';
import type { Change } from './ports';

/** Bounded: each pass delivers or defers at least one notice, and a request holds a handful. */
const MAX_PASSES = 10;

/**
 * Delivers what a request's outbox owes Slack. The notices due are claimed in
 * one conditional write first, and only the claim's winner posts, so
 * overlapping deliverers never double-post. Each notice is marked delivered as
 * soon as it is posted; a failed post is released with a back-off and retried
 * by a later run, so the state change that queued it is never lost.
 *
 * `request` is the request as the caller last got it from the store; it saves
 * a read, and a stale one only costs the claim a re-read. `held` are notices
 * the caller already holds (a creator's first notices): they are delivered
 * first, without a claim. Returns the request as last read or written
 * (undefined if it does not exist).
 */
export async function deliverNotices(
  deps: BotDeps,
  request: InvalidationRequest,
  held: readonly Notice[] = [],
): Promise<InvalidationRequest | undefined> {
  let latest = request;
  let batch = held.filter((n) => findNotice(request, n.id)?.claimedUntil !== undefined);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    if (batch.length === 0) {
      const claimed = await deps.store.update(latest.id, (r) => claimDue(r, deps.clock.now()), latest);
      if (claimed.kind === 'missing') return undefined;
      latest = claimed.request;
      // Nothing due, or another deliverer holds it.
      if (claimed.kind !== 'written') return latest;
      batch = claimed.result;
    }
    const delivered = await deliverBatch(deps, latest, batch);
    if (delivered.kind !== 'continue') return delivered.request;
    latest = delivered.request;
    batch = [];
  }
  return latest;
}

type BatchResult =
  | { kind: 'continue'; request: InvalidationRequest }
  /** Slack pushed back, or the request is gone: nothing more this time. */
  | { kind: 'stop'; request: InvalidationRequest | undefined };

/** Posts the claimed notices in order, recording each outcome as soon as it is known. */
async function deliverBatch(
  deps: BotDeps,
  request: InvalidationRequest,
  notices: readonly Notice[],
): Promise<BatchResult> {
  let latest = request;
  for (const [index, notice] of notices.entries()) {
    const outcome = await deps.messenger.deliver(latest, notice);
    if (outcome.ok) {
      const done = await deps.store.update(
        latest.id,
        (r) =>
          asChange(completeNotice(r, notice.id, deps.clock.now(), outcome.cardTs, outcome.cardPermalink)),
        latest,
      );
      if (done.kind === 'missing') return { kind: 'stop', request: undefined };
      latest = done.request;
      continue;
    }
    deps.log.warn('slack delivery failed', {
      requestId: latest.id,
      notice: notice.kind,
      error: outcome.error,
      retryAfterMs: outcome.retryAfterMs,
    });
    const released = await deps.store.update(
      latest.id,
      (r) => asChange(retryNotice(r, notice.id, deps.clock.now(), outcome)),
      latest,
    );
    if (released.kind === 'missing') return { kind: 'stop', request: undefined };
    latest = released.request;
    if (outcome.retryAfterMs !== undefined) {
      // Slack is pushing back: the rest of the batch waits as long, rather than hammering it.
      const untried = notices.slice(index + 1).map((n) => n.id);
      if (untried.length === 0) return { kind: 'stop', request: latest };
      const delayMs = outcome.retryAfterMs;
      const returned = await deps.store.update(
        latest.id,
        (r) => asChange(returnNotices(r, untried, deps.clock.now(), delayMs)),
        latest,
      );
      return { kind: 'stop', request: returned.kind === 'missing' ? undefined : returned.request };
    }
  }
  return { kind: 'continue', request: latest };
}

/** Claims everything deliverable now; the claimed notices, in delivery order, are the result. */
function claimDue(request: InvalidationRequest, now: Date): Change<Notice[]> {
  const due = deliverableNotices(request, now);
  if (due.length === 0) return { kind: 'stop', result: [] };
  const claimed = claimNotices(
    request,
    due.map((n) => n.id),
    now,
  );
  return claimed.ok
    ? { kind: 'write', next: claimed.request, events: claimed.events, result: due }
    : { kind: 'stop', result: [] };
}
