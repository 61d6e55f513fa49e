import type { InvalidationRequest } from '../domain/request';
import type { BotDeps } from './deps';

export type FindRequestDeps = Pick<BotDeps, 'store'>;

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const SHORT_ID = /^[0-9A-HJKMNP-TV-Z]{6,25}$/;

/** How many of a person's requests a short id is looked for among. */
const SHORT_ID_SEARCH = 100;

/**
 * A full id finds any request; a short id (the end of one, as lists show it) finds one of the
 * person's own. `id` is upper case, as ids are. A full id the store does not know yet may be the
 * person's own creation that no reader has settled (the kick was lost or is still on its way):
 * their own list settles it, so the id their answer named finds it at once.
 */
export async function findRequest(
  deps: FindRequestDeps,
  userId: string,
  id: string,
): Promise<InvalidationRequest | undefined> {
  if (ULID.test(id)) return (await deps.store.get(id)) ?? ownRequest(deps, userId, (r) => r.id === id);
  if (!SHORT_ID.test(id)) return undefined;
  return ownRequest(deps, userId, (r) => r.id.endsWith(id));
}

async function ownRequest(
  deps: FindRequestDeps,
  userId: string,
  matches: (request: InvalidationRequest) => boolean,
): Promise<InvalidationRequest | undefined> {
  const mine = await deps.store.listByRequester(userId, SHORT_ID_SEARCH);
  return mine.find(matches);
}

/** The person's own requests, newest first, as `/invalidate status` lists them. */
export function recentRequests(deps: FindRequestDeps, userId: string): Promise<InvalidationRequest[]> {
  return deps.store.listByRequester(userId, 20);
}
