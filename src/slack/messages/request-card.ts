import type { ActionsBlock, KnownBlock, MrkdwnElement } from '@slack/types';
import type { InvalidationRequest } from '../../domain/request';
import { itemCountText, itemListBlocks, itemNoteBlocks, itemsText } from './item-summary';
import { escapeAndTruncate, escapeMrkdwn, mention, quote, slackDate, truncate } from './mrkdwn';
import { progressBlock } from './request-progress';
import { shortId, statusEmoji, statusLabel } from './request-status';
import { contextBlock, threadLinkBlock } from './sections';
import { BLOCK_KIT_LIMITS, type SlackMessage } from './slack-message';

/** Card action ids (docs/architecture.md, "Contracts"). Each button's value is the request id. */
export const CARD_ACTIONS = { approve: 'approve', reject: 'reject', cancel: 'cancel' } as const;
/** On a card that reached an end: opens the request form filled in as this request was. */
export const REQUEST_AGAIN_ACTION = 'request_again';

/** Sections of paths on the card; the rest is counted. Keeps a long request readable in the channel. */
const CARD_PATH_SECTIONS = 3;

export interface RequestDetails {
  /** The distribution's description from config (plain text; escaped here). */
  distributionDescription?: string;
  /** The cost line (plain text; escaped here). Omitted when absent. */
  costText?: string;
  /** Who may approve (user and group ids), from config; listed while the request waits. */
  approvers?: readonly string[];
}

export interface RequestCardInput extends RequestDetails {
  request: InvalidationRequest;
  costText: string;
  /** Link to the card's thread, for copies of the card shown elsewhere. */
  permalink?: string;
}

/**
 * The request card in the approval channel, updated in place as the request
 * moves on. Approve / Reject / Cancel only while it is undecided.
 */
export function requestCard(input: RequestCardInput): SlackMessage & { blocks: KnownBlock[] } {
  const { request } = input;
  const blocks = requestDetailBlocks(request, input);
  if (request.status === 'PENDING') blocks.push(decisionButtons(request.id));
  if (REQUEST_AGAIN_STATUSES.has(request.status)) blocks.push(requestAgainButton(request.id));
  if (input.permalink !== undefined) blocks.push(threadLinkBlock(input.permalink));
  return { text: cardFallbackText(request), blocks };
}

/** Everything the card shows about a request, without its buttons. */
export function requestDetailBlocks(
  request: InvalidationRequest,
  details: RequestDetails = {},
): KnownBlock[] {
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: headerText(request), emoji: true },
    },
    ...breakGlassBanner(request),
    { type: 'section', fields: summaryFields(request, details) },
    { type: 'section', text: { type: 'mrkdwn', text: reasonText(request.reason) } },
    ...itemListBlocks(request.paths, CARD_PATH_SECTIONS),
    ...itemNoteBlocks(request),
  ];
  blocks.push(progressBlock(request));
  const progress = cloudFrontText(request);
  if (progress !== undefined) blocks.push(contextBlock(progress));
  const problem = problemText(request);
  if (problem !== undefined) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: problem } });
  if (request.dryRun)
    blocks.push(contextBlock(':test_tube: Dry run: no invalidation will be sent to CloudFront.'));
  blocks.push(
    contextBlock(
      `Request \`${request.id}\` · created ${slackDate(request.createdAt, '{date_short_pretty} at {time}')}`,
    ),
  );
  return blocks;
}

function headerText(request: InvalidationRequest): string {
  const dryRun = request.dryRun ? ' (dry run)' : '';
  const text = `${statusEmoji(request.status)} ${statusLabel(request.status)}: invalidate ${request.distributionAlias}${dryRun}`;
  return truncate(text, BLOCK_KIT_LIMITS.headerText);
}

function summaryFields(request: InvalidationRequest, details: RequestDetails): MrkdwnElement[] {
  const description =
    details.distributionDescription !== undefined && details.distributionDescription !== ''
      ? `\n${escapeAndTruncate(details.distributionDescription, 500)}`
      : '';
  const fields = [
    field('Requested by', mention(request.requesterId)),
    field(
      'Distribution',
      `*${escapeMrkdwn(request.distributionAlias)}* \`${request.distributionId}\`${description}`,
    ),
    field('Paths', pathCountText(request)),
    field('Approvals', approvalsText(request)),
  ];
  if (details.costText !== undefined) {
    fields.push(field('Estimated cost', escapeAndTruncate(details.costText, 1_500)));
  }
  const decision = decisionField(request);
  if (decision !== undefined) fields.push(decision);
  const approvers = details.approvers ?? [];
  if (request.status === 'PENDING' && approvers.length > 0) {
    fields.push(field('Who may approve', [...new Set(approvers)].map(mention).join(', ')));
  }
  return fields;
}

function field(title: string, value: string): MrkdwnElement {
  return { type: 'mrkdwn', text: `*${title}*\n${value}` };
}

/** "12 paths, 2 wildcards", "12 paths, 2 wildcards · 3 cache tags" */
export function pathCountText(request: InvalidationRequest): string {
  return itemCountText(request);
}

/** "1 of 2: <@U1>", or "not required". */
export function approvalsText(request: InvalidationRequest): string {
  if (request.breakGlass === true) return 'skipped (break-glass)';
  if (request.requiredApprovals === 0) return 'not required';
  const who = request.approvals.map((a) => mention(a.userId)).join(', ');
  const count = `${request.approvals.length} of ${request.requiredApprovals}`;
  const missing = request.requiredApprovals - request.approvals.length;
  const still = request.status === 'PENDING' && missing > 0 ? `, ${missing} more needed` : '';
  return who === '' ? `${count}${still}` : `${count}${still}: ${who}`;
}

/** Said plainly at the top of the card: nobody approved this one. */
function breakGlassBanner(request: InvalidationRequest): KnownBlock[] {
  if (request.breakGlass !== true) return [];
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          `:rotating_light: *Break-glass: approval was skipped* by ${mention(request.requesterId)}, ` +
          'who submitted at once. The approvers are asked to review it in the thread.',
      },
    },
  ];
}

const REQUEST_AGAIN_STATUSES: ReadonlySet<InvalidationRequest['status']> = new Set([
  'COMPLETED',
  'REJECTED',
  'EXPIRED',
  'FAILED',
]);

function requestAgainButton(requestId: string): ActionsBlock {
  return {
    type: 'actions',
    block_id: 'request_again',
    elements: [cardButton(REQUEST_AGAIN_ACTION, 'Request again', requestId)],
  };
}

function decisionField(request: InvalidationRequest): MrkdwnElement | undefined {
  switch (request.status) {
    case 'PENDING':
      return field('Expires', slackDate(request.decideBy, '{date_short_pretty} at {time}'));
    case 'REJECTED':
    case 'CANCELLED':
      return request.decidedBy === undefined
        ? undefined
        : field(`${statusLabel(request.status)} by`, mention(request.decidedBy));
    default:
      return undefined;
  }
}

const MAX_REASON_LENGTH = 2_500;

function reasonText(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed === '') return '*Reason*\n_no reason given_';
  return `*Reason*\n${quote(escapeAndTruncate(trimmed, MAX_REASON_LENGTH))}`;
}

function cloudFrontText(request: InvalidationRequest): string | undefined {
  if (request.invalidationId === undefined) return undefined;
  const parts = [`CloudFront invalidation \`${escapeMrkdwn(request.invalidationId)}\``];
  if (request.cloudFrontStatus !== undefined)
    parts.push(`status *${escapeMrkdwn(request.cloudFrontStatus)}*`);
  if (request.lastCheckedAt !== undefined) {
    parts.push(`last checked ${slackDate(request.lastCheckedAt, '{date_short_pretty} at {time_secs}')}`);
  }
  return parts.join(' · ');
}

const MAX_ERROR_LENGTH = 2_800;

/** The failure, or the transient error an approved request is waiting out. */
function problemText(request: InvalidationRequest): string | undefined {
  if (request.status === 'FAILED') {
    const error = request.lastError ?? 'CloudFront refused the invalidation.';
    return `:x: *Failed:* ${escapeAndTruncate(error, MAX_ERROR_LENGTH)}`;
  }
  if (request.status === 'APPROVED' && request.lastError !== undefined) {
    return `:warning: *Waiting to retry:* ${escapeAndTruncate(request.lastError, MAX_ERROR_LENGTH)}`;
  }
  return undefined;
}

type CardButton = ActionsBlock['elements'][number];

/** A button on the card; its value is the request id, which every card listener reads. */
function cardButton(
  actionId: string,
  text: string,
  requestId: string,
  style?: 'primary' | 'danger',
): CardButton {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text },
    ...(style === undefined ? {} : { style }),
    value: requestId,
  };
}

function decisionButtons(requestId: string): ActionsBlock {
  return {
    type: 'actions',
    block_id: 'request_decision',
    elements: [
      cardButton(CARD_ACTIONS.approve, 'Approve', requestId, 'primary'),
      // Opens the reject form (optional reason), which is the confirmation.
      cardButton(CARD_ACTIONS.reject, 'Reject', requestId, 'danger'),
      cardButton(CARD_ACTIONS.cancel, 'Cancel', requestId),
    ],
  };
}

/** What a notification or a screen reader says: status, size, distribution, requester. */
function cardFallbackText(request: InvalidationRequest): string {
  const dryRun = request.dryRun ? ' (dry run)' : '';
  return (
    `${statusLabel(request.status)}: invalidate ${itemsText(request)} on ` +
    `${escapeMrkdwn(request.distributionAlias)}, requested by ${mention(request.requesterId)}` +
    ` [${shortId(request.id)}]${dryRun}`
  );
}
