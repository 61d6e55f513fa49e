import type { WebClient } from '@slack/web-api';
import type { GroupMembersCache, UserGroupDirectory } from '../../app/ports';

/** Members older than this are refreshed; until then a click by a group approver costs no Slack call. */
export const GROUP_FRESH_MS = 60_000;
/**
 * Past this, stale members are no longer used: the lookup is awaited. It bounds
 * how long someone removed from a group keeps its rights.
 */
export const GROUP_STALE_MS = 10 * 60_000;

export interface UserGroupDirectoryOptions {
  nowMs?: () => number;
  freshMs?: number;
  staleMs?: number;
  /** Members shared by every container (the table): a cold container reads them instead of waiting on Slack. */
  shared?: GroupMembersCache;
  onError?: (what: string, error: unknown) => void;
}

interface Entry {
  /** The lookup from Slack under way or done, if this container asked. */
  lookup?: Promise<readonly string[]>;
  /** When the freshest members known here were fetched (by this container or another). */
  at: number;
  /** The freshest members known here. */
  known?: readonly string[];
}

/**
 * User-group members from `usergroups.users.list`. Fresh members are used as
 * they are; stale ones (up to GROUP_STALE_MS) are used at once while a refresh
 * runs in the background, so a warm click never waits on Slack; a container
 * with none reads the shared copy, and only without a usable one waits for Slack.
 */
export function userGroupDirectory(
  client: WebClient,
  options: UserGroupDirectoryOptions = {},
): UserGroupDirectory {
  const nowMs = options.nowMs ?? Date.now;
  const freshMs = options.freshMs ?? GROUP_FRESH_MS;
  const staleMs = options.staleMs ?? GROUP_STALE_MS;
  const onError = options.onError ?? (() => {});
  // Promises, not results: simultaneous clicks share one lookup.
  const cache = new Map<string, Entry>();
  const refreshing = new Set<string>();

  const lookUp = (groupId: string): Promise<readonly string[]> => {
    const asked = nowMs();
    const lookup = client.usergroups.users.list({ usergroup: groupId }).then((res) => res.users ?? []);
    const previous = cache.get(groupId);
    // Until it answers, the members known before stay in use.
    cache.set(groupId, { ...previous, lookup, at: previous?.at ?? asked });
    refreshing.add(groupId);
    lookup.then(
      (members) => {
        cache.set(groupId, { lookup, at: asked, known: members });
        options.shared?.write(groupId, members, new Date(asked)).catch((e: unknown) => onError('write', e));
      },
      // A failed lookup is not kept: the next click asks again (stale members meanwhile).
      () => {
        if (previous?.known) cache.set(groupId, previous);
        else cache.delete(groupId);
      },
    );
    void lookup.finally(() => refreshing.delete(groupId)).catch(() => {});
    return lookup;
  };

  const fromKnown = (groupId: string, entry: Entry): Promise<readonly string[]> | undefined => {
    const age = nowMs() - entry.at;
    if (entry.known === undefined || age >= staleMs) return undefined;
    if (age >= freshMs && !refreshing.has(groupId)) lookUp(groupId).catch(() => {});
    return Promise.resolve(entry.known);
  };

  const fromShared = async (groupId: string): Promise<readonly string[]> => {
    let copy: Awaited<ReturnType<GroupMembersCache['read']>>;
    try {
      copy = await options.shared?.read(groupId);
    } catch (error) {
      onError('read', error);
    }
    if (copy) {
      const entry: Entry = { at: copy.fetchedAt.getTime(), known: copy.members };
      const current = cache.get(groupId);
      if (!current?.known || current.at < entry.at) cache.set(groupId, { ...current, ...entry });
      const known = fromKnown(groupId, cache.get(groupId) ?? entry);
      if (known) return known;
    }
    return cache.get(groupId)?.lookup ?? lookUp(groupId);
  };

  return {
    members(groupId) {
      const hit = cache.get(groupId);
      if (hit) {
        const known = fromKnown(groupId, hit);
        if (known) return known;
        if (hit.lookup && refreshing.has(groupId)) return hit.lookup;
      }
      return options.shared ? fromShared(groupId) : lookUp(groupId);
    },
  };
}
