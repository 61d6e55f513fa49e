import type { WebClient } from '@slack/web-api';
import type { InvalidationRequest } from '../../domain/request';

/** Links cost one call each; lists link only their newest requests so a reply stays fast. */
export const MAX_PERMALINKS = 10;

/** Thread links of requests whose card is posted, fetched in parallel; a failed lookup just means no link. */
export async function permalinks(
  client: WebClient,
  requests: readonly InvalidationRequest[],
): Promise<Record<string, string>> {
  const withCard = requests.filter((r) => r.cardTs !== undefined).slice(0, MAX_PERMALINKS);
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
  return Object.fromEntries(found.filter((x) => x !== undefined));
}
