import { IN_FLIGHT_STATUSES, type InvalidationRequest, type Notice } from '../domain/request';
import { advanceRequest } from './advance-request';
import { type ConcurrencyLimit, unlimited } from './concurrency-limit';
import type { BotDeps } from './deps';
import { pause, type RunBudget, runBudget } from './run-budget';

export interface FollowOptions {
  /**
   * The Lambda's remaining time (`context.getRemainingTimeInMillis`): following
   * stops, and every call's deadline ends, before it runs out. Unbounded when absent.
   */
  remainingMs?: () => number;
  /**
   * Ids of notices the kicker's write already claimed for this work (the kick's
   * `held`): delivered first, without a claim write of their own.
   */
  held?: readonly string[];
  /** The idempotency key the request was created under (the kick's `createdUnder`), for `store.get`. */
  createdUnder?: string;
}

export interface Followed {
  /** The request as it stands when following stopped; undefined if it does not exist. */
  request: InvalidationRequest | undefined;
  /** Rounds of due work done on it (a submission, a check, an expiry, a delivery, or finding it not due). */
  steps: number;
}

/** Never re-examine a request sooner than this, even when it looks due again at once. */
const MIN_PAUSE_MS = 10;

/**
 * The kick: does the due work of one request at once (the notices it owes, its
 * submission if approved, its expiry if due), then, while it is in flight,
 * follows it on the check timetable (2 s after submission, then pauses growing
 * by half a second up to POLL_INTERVAL_MS; see domain/check-schedule) for as
 * long as the run's budget (POLL_BUDGET_MS) and the Lambda's remaining time
 * allow. Then it returns; the scheduled run is the safety net for whatever is
 * still in flight. Safe to run beside scheduled runs and other kicks: every
 * step is a claim (conditional write), so nothing is submitted, checked or
 * posted twice.
 */
export async function followRequest(
  deps: BotDeps,
  requestId: string,
  options: FollowOptions = {},
): Promise<Followed> {
  const request = await deps.store.get(requestId, options.createdUnder);
  if (request === undefined) {
    deps.log.warn('asked to follow a request that does not exist', { requestId });
    return { request: undefined, steps: 0 };
  }
  const heldIds = new Set(options.held ?? []);
  const held = request.outbox.filter((n) => heldIds.has(n.id));
  return follow(deps, request, runBudget(deps.settings.pollBudgetMs, options.remainingMs), unlimited, held);
}

/**
 * Follows one request, as `followRequest` does, from the copy the caller holds
 * (the poller's due list) and within the caller's budget. `limit` bounds how
 * many requests of one run do their work at once; waiting for the next slot
 * holds no place in it. `held`: notices the caller holds, delivered in the first step.
 */
export async function follow(
  deps: BotDeps,
  request: InvalidationRequest,
  budget: RunBudget,
  limit: ConcurrencyLimit = unlimited,
  held: readonly Notice[] = [],
): Promise<Followed> {
  let latest = request;
  for (let steps = 1; ; steps++) {
    let after: InvalidationRequest | undefined;
    try {
      const holding = steps === 1 ? held : [];
      after = await limit(() => advanceRequest(deps, latest, budget, holding));
    } catch (error) {
      // One broken request must not take the run down; it stays due and the next run retries it.
      deps.log.error('poll failed for request', { requestId: latest.id, error });
      return { request: latest, steps };
    }
    if (after === undefined) return { request: undefined, steps };
    latest = after;
    if (!IN_FLIGHT_STATUSES.has(latest.status)) return { request: latest, steps };
    const dueInMs = Date.parse(latest.nextAttemptAt ?? latest.updatedAt) - deps.clock.now().getTime();
    const waitMs = Math.max(MIN_PAUSE_MS, dueInMs);
    if (waitMs > budget.leftMs()) return { request: latest, steps };
    await pause(waitMs);
  }
}
