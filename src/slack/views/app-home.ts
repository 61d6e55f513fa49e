import type { HomeView, KnownBlock } from '@slack/types';
import type { InvalidationRequest } from '../../domain/request';
import { mention, plural } from '../messages/mrkdwn';
import { newestFirst, requestLine } from '../messages/request-line';
import { contextBlock, dryRunFlowNote } from '../messages/sections';
import { BLOCK_KIT_LIMITS } from '../messages/slack-message';

export interface AppHomeInput {
  userId: string;
  /** This person's recent requests. */
  mine: readonly InvalidationRequest[];
  /** Every request approved and not yet finished at CloudFront, anyone's. */
  inFlight: readonly InvalidationRequest[];
  /** Thread links by request id. */
  permalinks: Readonly<Record<string, string>>;
  dryRun: boolean;
}

/** Requests listed per list; two full lists plus headings stay within a home tab's 100 blocks. */
export const MAX_HOME_REQUESTS = 40;

/** The App Home tab: what is in flight right now, and this person's recent requests. */
export function appHome(input: AppHomeInput): HomeView & { blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'CloudFront invalidations' } },
    contextBlock(
      `Hi ${mention(input.userId)}. Type \`/invalidate\` in any channel to request one, \`/invalidate help\` for how.`,
    ),
  ];
  if (input.dryRun) {
    blocks.push(dryRunFlowNote());
  }
  blocks.push(
    ...requestList('In flight', input.inFlight, input.permalinks, 'Nothing in flight.'),
    { type: 'divider' },
    ...requestList(
      'Your recent requests',
      input.mine,
      input.permalinks,
      'You have not requested any invalidations yet.',
    ),
  );
  return { type: 'home', blocks: blocks.slice(0, BLOCK_KIT_LIMITS.viewBlocks) };
}

function requestList(
  title: string,
  requests: readonly InvalidationRequest[],
  permalinks: Readonly<Record<string, string>>,
  empty: string,
): KnownBlock[] {
  const heading: KnownBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: `*${title}*${requests.length > 0 ? ` (${requests.length})` : ''}` },
  };
  if (requests.length === 0) {
    return [heading, contextBlock(empty)];
  }
  const listed = newestFirst(requests).slice(0, MAX_HOME_REQUESTS);
  const blocks: KnownBlock[] = [
    heading,
    ...listed.map(
      (r): KnownBlock => ({
        type: 'section',
        text: { type: 'mrkdwn', text: requestLine(r, permalinks[r.id]) },
      }),
    ),
  ];
  const hidden = requests.length - listed.length;
  if (hidden > 0) {
    blocks.push(contextBlock(`…and ${plural(hidden, 'older request')} not shown.`));
  }
  return blocks;
}
