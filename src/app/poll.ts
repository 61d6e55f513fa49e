import { IN_FLIGHT_STATUSES, type InvalidationRequest } from '../domain/request';
import { advanceRequest } from './advance-request';
import { concurrencyLimit } from './concurrency-limit';
import type { BotDeps } from './deps';
import { type FollowOptions, follow } from './follow-request';
import { pause, runBudget } from './run-budget';

/**
 * How many requests of one run do their work (a CloudFront call, Slack posts)
 * at once. Each call has its own deadline, so a hung one holds one place for
 * that long and the others go on.
 */
export const CHECK_CONCURRENCY = 8;

/** What the handler passes: the Lambda's remaining time (see FollowOptions). */
export type PollRunOptions = Pick<FollowOptions, 'remainingMs'>;

export interface PollRound {
  /** Requests that were due in this round. */
  due: number;
  /** Of those, how many are still in flight (APPROVED or SUBMITTED) afterwards. */
  inFlight: number;
  /** When the earliest of those is next due (a check, or a retry after back-off). */
  nextDueAt?: Date;
}

/** One pass over everything due: expire, submit, check, deliver what Slack is owed; no waiting for what comes next. */
export async function pollOnce(deps: BotDeps, options: PollRunOptions = {}): Promise<PollRound> {
  const budget = runBudget(0, options.remainingMs);
  const limit = concurrencyLimit(CHECK_CONCURRENCY);
  const due = await deps.store.listDue(deps.clock.now());
  const after = await Promise.all(
    due.map((request) =>
      limit(() => advanceRequest(deps, request, budget)).catch((error: unknown) => {
        // One broken request must not starve the others; it stays due and is retried next round.
        deps.log.error('poll failed for request', { requestId: request.id, error });
        return request;
      }),
    ),
  );
  const inFlight = after.filter(
    (r): r is InvalidationRequest => r !== undefined && IN_FLIGHT_STATUSES.has(r.status),
  );
  const nextDueMs = Math.min(...inFlight.map((r) => Date.parse(r.nextAttemptAt ?? r.updatedAt)));
  return {
    due: due.length,
    inFlight: inFlight.length,
    ...(inFlight.length > 0 ? { nextDueAt: new Date(nextDueMs) } : {}),
  };
}

export interface PollRun {
  /** Due lists read (one DynamoDB Query each). */
  rounds: number;
  /** Requests this run worked on. */
  due: number;
}

/**
 * A scheduled run: everything due, or coming due before the due list is read
 * again, is followed at once, each request on its own
 * check timetable (see domain/check-schedule), at most CHECK_CONCURRENCY doing
 * work at a time, while the budget (POLL_BUDGET_MS) and the Lambda's remaining
 * time last. The due list is read again every POLL_INTERVAL_MS meanwhile, for
 * what became due since (a retry after back-off, a request whose kick was
 * lost); the run ends as soon as nothing it follows is in flight. With nothing
 * due it costs one Query.
 */
export async function runPoller(deps: BotDeps, options: PollRunOptions = {}): Promise<PollRun> {
  const budget = runBudget(deps.settings.pollBudgetMs, options.remainingMs);
  const limit = concurrencyLimit(CHECK_CONCURRENCY);
  const following = new Map<string, Promise<unknown>>();
  let rounds = 0;
  let due = 0;
  for (;;) {
    // What comes due before the next read is followed from now on, so a first check 2 s after a
    // submission is made on time rather than at the next read.
    const horizonMs = Math.max(0, Math.min(deps.settings.pollIntervalMs, budget.leftMs()));
    const found = await deps.store.listDue(new Date(deps.clock.now().getTime() + horizonMs));
    rounds++;
    for (const request of found) {
      if (following.has(request.id)) continue;
      due++;
      following.set(
        request.id,
        follow(deps, request, budget, limit).finally(() => following.delete(request.id)),
      );
    }
    if (following.size === 0) break;
    const followers = Promise.all(following.values());
    const untilNextRead = Math.min(deps.settings.pollIntervalMs, budget.leftMs());
    if (untilNextRead <= 0) {
      await followers;
      break;
    }
    const stopWaiting = new AbortController();
    const allDone = followers.then(() => true);
    const done = await Promise.race([allDone, pause(untilNextRead, stopWaiting.signal).then(() => false)]);
    stopWaiting.abort();
    if (done) break;
  }
  return { rounds, due };
}
