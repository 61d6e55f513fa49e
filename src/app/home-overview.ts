import { findDistribution } from '../config/load-config';
import { canApprove, groupsToResolve } from '../domain/policy';
import { IN_FLIGHT_STATUSES, type InvalidationRequest } from '../domain/request';
import type { BotDeps } from './deps';
import { groupsOf, type MembershipDeps } from './membership';

export interface HomeOverview {
  mine: InvalidationRequest[];
  /** Approved or submitted, not yet done: see `inFlightAmongDue`. */
  inFlight: InvalidationRequest[];
  /** Undecided requests this person may approve now. */
  waiting: InvalidationRequest[];
  /** Paths this bot sent to CloudFront this calendar month (UTC), dry runs excluded. */
  pathsThisMonth: number;
}

export type HomeOverviewDeps = Pick<BotDeps, 'config' | 'store' | 'clock'> & MembershipDeps;

/** What a person's App Home shows: a named query, read-only. */
export async function homeOverview(deps: HomeOverviewDeps, userId: string): Promise<HomeOverview> {
  const now = deps.clock.now();
  // Every undecided request is due by its deadline at the latest, so this horizon finds them all.
  const horizon = new Date(now.getTime() + Math.max(24 * 60, deps.config.requestExpiryMinutes) * 60_000);
  const distributionIds = [...new Set(deps.config.distributions.map((d) => d.id))];
  const [mine, due, history] = await Promise.all([
    deps.store.listByRequester(userId, 20),
    deps.store.listDue(horizon, 100),
    Promise.all(distributionIds.map((id) => deps.store.listByDistribution(id, 100))),
  ]);
  const groupIds = [...new Set(deps.config.distributions.flatMap((d) => groupsToResolve(d, 'approve')))];
  const groups = await groupsOf(deps, userId, groupIds);
  const waiting = due.filter((r) => {
    if (r.status !== 'PENDING' || Date.parse(r.decideBy) <= now.getTime()) return false;
    const distribution = findDistribution(deps.config, r.distributionAlias);
    return distribution !== undefined && canApprove(distribution, r, userId, groups).allowed;
  });
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const seen = new Set<string>();
  let pathsThisMonth = 0;
  for (const r of history.flat()) {
    if (seen.has(r.id) || r.dryRun || r.invalidationId === undefined || r.submittedAt === undefined) continue;
    seen.add(r.id);
    if (Date.parse(r.submittedAt) >= monthStart) pathsThisMonth += r.paths.length;
  }
  return { mine, inFlight: inFlightAmongDue(due), waiting, pathsThisMonth };
}

/**
 * The in-flight requests, read off the due list: an approved or submitted request is due at its
 * next attempt or check, so it is on the list within the horizon. A stand-in: a query of the
 * store's in-flight index would replace it (the store port has none yet).
 */
function inFlightAmongDue(due: readonly InvalidationRequest[]): InvalidationRequest[] {
  return due.filter((r) => IN_FLIGHT_STATUSES.has(r.status));
}
