import type { InvalidationRequest } from '../domain/request';
import type { BotDeps } from './deps';

export type FindRequestDeps = Pick<BotDeps, 'store'>;

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const SHORT_ID = /^[0-9A-HJKMNP-TV-Z]{6,25}$/;

/** How many of a person's requests a short id is looked for among. */
const SHORT_ID_SEARCH = 100;

/**
 * A full id finds any request; a short id (the end of one, as lists show it) finds one of the
 * person's own. `id` is upper case, as ids are.
 */
export async function findRequest(
  deps: FindRequestDeps,
  userId: string,
  id: string,
): Promise<InvalidationRequest | undefined> {
  if (ULID.test(id)) return deps.store.get(id);
  if (!SHORT_ID.test(id)) return undefined;
  const mine = await deps.store.listByRequester(userId, SHORT_ID_SEARCH);
  return mine.find((r) => r.id.endsWith(id));
}

/** The person's own requests, newest first, as `/invalidate status` lists them. */
export function recentRequests(deps: FindRequestDeps, userId: string): Promise<InvalidationRequest[]> {
  return deps.store.listByRequester(userId, 20);
}
