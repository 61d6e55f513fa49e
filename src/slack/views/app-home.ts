import type { HomeView, KnownBlock } from '@slack/types';
import { FREE_PATHS_PER_MONTH } from '../../domain/cost';
import type { InvalidationRequest } from '../../domain/request';
import { escapeAndTruncate, groupThousands, mention, plural } from '../messages/mrkdwn';
import { CARD_ACTIONS } from '../messages/request-card';
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
  /** Undecided requests this person may approve. */
  waiting?: readonly InvalidationRequest[];
  /** Paths this bot sent to CloudFront this month, against the free allowance. */
  pathsThisMonth?: number;
}

/** Waiting requests shown with their buttons (two blocks each). */
export const MAX_HOME_WAITING = 10;

/** Requests listed per list; the waiting list, two full lists and headings stay within 100 blocks. */
export const MAX_HOME_REQUESTS = 30;

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
  if (input.pathsThisMonth !== undefined) blocks.push(allowanceBlock(input.pathsThisMonth));
  blocks.push(
    ...waitingList(input.waiting ?? [], input.permalinks),
    { type: 'divider' },
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

function waitingList(
  requests: readonly InvalidationRequest[],
  permalinks: Readonly<Record<string, string>>,
): KnownBlock[] {
  const title = `*Waiting for your approval*${requests.length > 0 ? ` (${requests.length})` : ''}`;
  const heading: KnownBlock = { type: 'section', text: { type: 'mrkdwn', text: title } };
  if (requests.length === 0) return [heading, contextBlock('Nothing is waiting for you.')];
  const listed = newestFirst(requests).slice(0, MAX_HOME_WAITING);
  const blocks: KnownBlock[] = [heading];
  for (const r of listed) {
    blocks.push(
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${requestLine(r, permalinks[r.id])}\nRequested by ${mention(r.requesterId)}: ${escapeAndTruncate(r.reason.trim() || 'no reason given', 200)}`,
        },
      },
      {
        type: 'actions',
        block_id: `home_decide_${r.id}`,
        elements: [
          {
            type: 'button',
            action_id: CARD_ACTIONS.approve,
            text: { type: 'plain_text', text: 'Approve' },
            style: 'primary',
            value: r.id,
          },
          {
            type: 'button',
            action_id: CARD_ACTIONS.reject,
            text: { type: 'plain_text', text: 'Reject' },
            style: 'danger',
            value: r.id,
          },
        ],
      },
    );
  }
  const hidden = requests.length - listed.length;
  if (hidden > 0) blocks.push(contextBlock(`…and ${plural(hidden, 'older request')} not shown.`));
  return blocks;
}

const BAR_CELLS = 20;

/** "`▓▓▓▓░░░░…` 212 of 1,000 free paths used this month": characters render on every client. */
export function allowanceBar(used: number, free = FREE_PATHS_PER_MONTH): string {
  const filled = Math.min(BAR_CELLS, Math.round((Math.min(used, free) / free) * BAR_CELLS));
  const bar = `${'▓'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)}`;
  const over = used > free ? ` · ${groupThousands(used - free)} billable` : '';
  return `\`${bar}\` ${groupThousands(used)} of ${groupThousands(free)} free paths used this month${over}`;
}

function allowanceBlock(used: number): KnownBlock {
  return contextBlock(`${allowanceBar(used)} (sent by this bot; a wildcard path counts as one)`);
}
