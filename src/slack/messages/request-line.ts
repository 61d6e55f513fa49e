import type { InvalidationRequest } from '../../domain/request';
import { itemsText } from './item-summary';
import { escapeMrkdwn, slackDate } from './mrkdwn';
import { shortId, statusBadge } from './request-status';

/**
 * One request on one line, for lists:
 * "`7K2M9QXZ` *www* · :white_check_mark: Completed · 3 paths · 2 hours ago · thread".
 */
export function requestLine(request: InvalidationRequest, permalink?: string): string {
  const parts = [
    `\`${shortId(request.id)}\` *${escapeMrkdwn(request.distributionAlias)}*`,
    statusBadge(request.status),
    itemsText(request),
    slackDate(request.createdAt, '{ago}'),
  ];
  if (request.dryRun) parts.push('_dry run_');
  if (permalink !== undefined) parts.push(`<${permalink}|thread>`);
  return parts.join(' · ');
}

/** Newest first: ULIDs sort by creation time. */
export function newestFirst(requests: readonly InvalidationRequest[]): InvalidationRequest[] {
  return [...requests].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
