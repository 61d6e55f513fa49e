import type { BotDeps } from './deps';

/**
 * Which of `groupIds` the user belongs to. Group membership comes from Slack
 * (cached by the directory); a group that cannot be resolved counts as "not a
 * member", so an outage never grants rights.
 */
export async function groupsOf(
  deps: BotDeps,
  userId: string,
  groupIds: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  await Promise.all(
    groupIds.map(async (groupId) => {
      try {
        if ((await deps.groups.members(groupId)).includes(userId)) found.add(groupId);
      } catch (error) {
        deps.log.warn('user group lookup failed', { groupId, error });
      }
    }),
  );
  return found;
}
