import type { WebClient } from '@slack/web-api';
import type { UserGroupDirectory } from '../../app/ports';

/** Members older than this are refreshed; until then a click by a group approver costs no Slack call. */
export const GROUP_FRESH_MS = 60_000;
/**
 * Past this, stale members are no longer used: the lookup is awaited. It bounds
 * how long someone removed from a group keeps its rights in a warm container.
 */
export const GROUP_STALE_MS = 10 * 60_000;

interface Entry {
  lookup: Promise<readonly string[]>;
  /** When `lookup` was asked for. */
  at: number;
  /** The last answer that arrived, kept while a refresh is under way. */
  known?: readonly string[];
  knownAt?: number;
  refreshing?: boolean;
}

/**
 * User-group members from `usergroups.users.list`, cached per warm container.
 * Fresh answers are used as they are; stale ones (up to GROUP_STALE_MS) are
 * used at once while a refresh runs in the background, so a warm click never
 * waits on Slack; older or missing ones are looked up and awaited.
 */
export function userGroupDirectory(
  client: WebClient,
  nowMs: () => number = Date.now,
  freshMs = GROUP_FRESH_MS,
  staleMs = GROUP_STALE_MS,
): UserGroupDirectory {
  // Promises, not results: simultaneous clicks share one lookup.
  const cache = new Map<string, Entry>();

  const lookUp = (groupId: string, previous?: Entry): Entry => {
    const entry: Entry = {
      lookup: client.usergroups.users.list({ usergroup: groupId }).then((res) => res.users ?? []),
      at: nowMs(),
      ...(previous?.known ? { known: previous.known, knownAt: previous.knownAt ?? previous.at } : {}),
    };
    entry.lookup.then(
      (users) => {
        entry.known = users;
        entry.knownAt = entry.at;
      },
      // A failed lookup is not kept: the next click asks again (stale members meanwhile).
      () => {
        if (cache.get(groupId) === entry) {
          if (previous?.known) cache.set(groupId, { ...previous, refreshing: false });
          else cache.delete(groupId);
        }
      },
    );
    cache.set(groupId, entry);
    return entry;
  };

  return {
    members(groupId) {
      const now = nowMs();
      const hit = cache.get(groupId);
      if (!hit) return lookUp(groupId).lookup;
      if (now - hit.at < freshMs) return hit.known ? Promise.resolve(hit.known) : hit.lookup;
      if (hit.known && hit.knownAt !== undefined && now - hit.knownAt < staleMs) {
        if (!hit.refreshing) {
          hit.refreshing = true;
          lookUp(groupId, hit).lookup.catch(() => {});
        }
        return Promise.resolve(hit.known);
      }
      return lookUp(groupId).lookup;
    },
  };
}
