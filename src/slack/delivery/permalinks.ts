import type { WebClient } from '@slack/web-api';
import type { InvalidationRequest } from '../../domain/request';

/** Links cost one call each; lists link only their newest requests so a reply stays fast. */
export const MAX_PERMALINKS = 10;

/** Thread links the requests already carry (learned when their card was posted): no Slack call. */
export function storedPermalinks(requests: readonly InvalidationRequest[]): Record<string, string> {
  return Object.fromEntries(
    requests.flatMap((r) => (r.cardPermalink !== undefined ? [[r.id, r.cardPermalink] as const] : [])),
  );
}

/**
 * Thread links of requests whose card is posted: the stored ones, and the rest
 * fetched in parallel (the worker's side only); a failed lookup just means no link.
 */
export async function permalinks(
  client: WebClient,
  requests: readonly InvalidationRequest[],
): Promise<Record<string, string>> {
  const stored = storedPermalinks(requests);
  const withCard = requests
    .filter((r) => r.cardTs !== undefined && stored[r.id] === undefined)
    .slice(0, MAX_PERMALINKS);
  const found = await Promise.all(
    withCard.map(async (r) => {
      try {
        const res = await client.chat.getPermalink({ channel: r.channel, message_ts: r.cardTs ?? '' });
        return res.permalink ? ([r.id, res.permalink] as const) : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return { ...stored, ...Object.fromEntries(found.filter((x) => x !== undefined)) };
}
