import type { DistributionConfig } from '../config/bot-config';
import { canRequest, groupsToResolve } from '../domain/policy';
import type { BotDeps } from './deps';
import { groupsOf, type MembershipDeps } from './membership';

export type AllowedDistributionsDeps = Pick<BotDeps, 'config'> & MembershipDeps;

/** The distributions this person may request invalidations on. */
export async function allowedDistributions(
  deps: AllowedDistributionsDeps,
  userId: string,
): Promise<DistributionConfig[]> {
  const groupIds = [...new Set(deps.config.distributions.flatMap((d) => groupsToResolve(d, 'request')))];
  const groups = await groupsOf(deps, userId, groupIds);
  return deps.config.distributions.filter((d) => canRequest(d, userId, groups).allowed);
}
