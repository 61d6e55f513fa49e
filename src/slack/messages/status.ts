import type { KnownBlock } from '@slack/types';
import type { InvalidationRequest } from '../../domain/request';
import { itemsText } from './item-summary';
import { escapeMrkdwn } from './mrkdwn';
import { requestDetailBlocks } from './request-card';
import { newestFirst, requestLine } from './request-line';
import { statusLabel } from './request-status';
import { contextBlock, lineSections, threadLinkBlock } from './sections';
import type { SlackMessage } from './slack-message';

/** `/invalidate status <id>`: one request in detail, as its card shows it, with a link to the thread. */
export function requestStatusMessage(request: InvalidationRequest, permalink?: string): SlackMessage {
  const blocks = requestDetailBlocks(request);
  if (permalink !== undefined) {
    blocks.push(threadLinkBlock(permalink));
  }
  const dryRun = request.dryRun ? ' (dry run)' : '';
  const text = `${statusLabel(request.status)}: invalidation of ${itemsText(request)} on ${escapeMrkdwn(request.distributionAlias)}${dryRun}`;
  return { text, blocks };
}

export const MAX_LISTED_REQUESTS = 20;

/** `/invalidate status`: recent requests, newest first, one line each. */
export function recentRequestsMessage(
  requests: readonly InvalidationRequest[],
  permalinks: Readonly<Record<string, string>> = {},
): SlackMessage {
  if (requests.length === 0) {
    return { text: 'No invalidation requests yet. Start one with `/invalidate`.' };
  }
  const listed = newestFirst(requests).slice(0, MAX_LISTED_REQUESTS);
  const { blocks: sections } = lineSections(
    listed.map((r) => requestLine(r, permalinks[r.id])),
    5,
  );
  const more = requests.length - listed.length;
  const footer = [
    more > 0 ? `Showing the newest ${listed.length} of ${requests.length}.` : '',
    '`/invalidate status &lt;id&gt;` shows one request in detail.',
  ].filter((t) => t !== '');
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: '*Recent invalidation requests*' } },
    ...sections,
    contextBlock(footer.join(' ')),
  ];
  return { text: `Recent invalidation requests (${listed.length})`, blocks };
}
