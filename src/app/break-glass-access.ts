import { groupsToResolve, mayBreakGlass } from '../domain/policy';
import type { BotDeps } from './deps';
import { groupsOf } from './membership';

/** Whether this person may break glass on any distribution: only they are shown the checkbox. */
export async function mayBreakGlassAnywhere(deps: BotDeps, userId: string): Promise<boolean> {
  const candidates = deps.config.distributions.filter((d) => d.breakGlass.length > 0);
  if (candidates.length === 0) return false;
  const groupIds = [...new Set(candidates.flatMap((d) => groupsToResolve(d, 'break-glass')))];
  const groups = await groupsOf(deps, userId, groupIds);
  return candidates.some((d) => mayBreakGlass(d, userId, groups));
}
