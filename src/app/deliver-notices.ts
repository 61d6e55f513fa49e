import { claimNotice, completeNotice, retryNotice } from '../domain/lifecycle';
import { deliverableNotices } from '../domain/outbox';
import type { InvalidationRequest } from '../domain/request';
import { asChange } from './as-change';
import type { BotDeps } from './deps';

/**
 * Delivers what a request's outbox owes Slack. Each notice is claimed with a
 * conditional write first, and only the claim's winner posts, so overlapping
 * deliverers never double-post. A failed post is released with a back-off and
 * retried by a later run; the state change that queued it is never lost.
 * Returns the request as last read or written (undefined if it does not
 * exist), so callers need not read it again.
 */
export async function deliverNotices(
  deps: BotDeps,
  requestId: string,
): Promise<InvalidationRequest | undefined> {
  let latest: InvalidationRequest | undefined;
  // Bounded: each pass delivers or defers at least one notice, and a request holds a handful.
  for (let pass = 0; pass < 20; pass++) {
    latest = await deps.store.get(requestId);
    if (!latest) return undefined;
    const [notice] = deliverableNotices(latest, deps.clock.now());
    if (!notice) return latest;

    const claimed = await deps.store.update(requestId, (r) =>
      asChange(claimNotice(r, notice.id, deps.clock.now())),
    );
    if (claimed.kind !== 'written') continue;

    const outcome = await deps.messenger.deliver(claimed.request, notice);
    if (outcome.ok) {
      await deps.store.update(requestId, (r) =>
        asChange(completeNotice(r, notice.id, deps.clock.now(), outcome.cardTs)),
      );
    } else {
      deps.log.warn('slack delivery failed', {
        requestId,
        notice: notice.kind,
        error: outcome.error,
        retryAfterMs: outcome.retryAfterMs,
      });
      const released = await deps.store.update(requestId, (r) =>
        asChange(retryNotice(r, notice.id, deps.clock.now(), outcome)),
      );
      // Slack is pushing back: leave the rest for a later run rather than hammering it.
      if (outcome.retryAfterMs !== undefined)
        return released.kind === 'missing' ? undefined : released.request;
    }
  }
  return latest;
}
