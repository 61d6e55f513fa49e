import type { WebClient } from '@slack/web-api';
import type { UserGroupDirectory } from '../../app/ports';

/** Long enough to spare Slack a call per click, short enough that a removed approver loses rights quickly. */
export const GROUP_CACHE_MS = 60_000;

/** User-group members from `usergroups.users.list`, cached briefly per warm Lambda. */
export function userGroupDirectory(
  client: WebClient,
  nowMs: () => number = Date.now,
  ttlMs = GROUP_CACHE_MS,
): UserGroupDirectory {
  // Promises, not results: simultaneous clicks share one lookup.
  const cache = new Map<string, { users: Promise<readonly string[]>; until: number }>();
  return {
    members(groupId) {
      const hit = cache.get(groupId);
      if (hit && hit.until > nowMs()) return hit.users;
      const users = client.usergroups.users.list({ usergroup: groupId }).then((res) => res.users ?? []);
      cache.set(groupId, { users, until: nowMs() + ttlMs });
      // A failed lookup is not cached: the next click asks again.
      users.catch(() => cache.delete(groupId));
      return users;
    },
  };
}
