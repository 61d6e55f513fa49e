import type { KnownBlock } from '@slack/types';
import type { InvalidationRequest } from '../../domain/request';
import { elapsedMs, formatElapsed } from './elapsed';
import { mention, plural, slackDate } from './mrkdwn';
import { contextBlock } from './sections';

/**
 * Where a request is in its life, as the card shows it: requested → approved → submitted →
 * completed, or the end it reached, each with who and when. Plain context lines: they
 * render on every Slack client, where the newer plan/task blocks do not yet.
 */

/**
 * CloudFront reports most invalidations Completed within about this; large and wildcard ones
 * take longer. The worker follows a submission on a short schedule for the same reason
 * (docs/architecture.md, the poller).
 */
export const USUAL_COMPLETION_MS = 25_000;

const DONE = ':white_check_mark:';
const WAITING = ':hourglass_flowing_sand:';
const NOT_YET = ':white_small_square:';

function when(iso: string | undefined): string {
  return iso === undefined ? '' : ` · ${slackDate(iso, '{date_short_pretty} at {time}')}`;
}

export function progressLines(request: InvalidationRequest): string[] {
  const lines = [`${DONE} *Requested* by ${mention(request.requesterId)}${when(request.createdAt)}`];
  const approved = request.approvedAt !== undefined;
  lines.push(approvalLine(request));
  const end = endLine(request);
  if (!approved) {
    if (end !== undefined) lines.push(end);
    return lines;
  }
  lines.push(submittedLine(request));
  if (request.status === 'COMPLETED') {
    const took = elapsedMs(request.submittedAt ?? request.approvedAt, request.completedAt);
    const tookText = took === undefined ? '' : ` · took ${formatElapsed(took)}`;
    lines.push(`${DONE} *Completed*${when(request.completedAt)}${tookText}`);
  } else if (request.status === 'SUBMITTED') {
    lines.push(inProgressLine(request));
  } else if (end !== undefined) {
    lines.push(end);
  } else {
    lines.push(`${NOT_YET} Completed`);
  }
  return lines;
}

function approvalLine(request: InvalidationRequest): string {
  if (request.breakGlass === true) {
    return `:rotating_light: *Approval skipped* (break-glass) by ${mention(request.requesterId)}${when(request.approvedAt)}`;
  }
  if (request.requiredApprovals === 0) return `${DONE} *Approved* automatically: no approval needed`;
  const who = request.approvals.map((a) => mention(a.userId)).join(', ');
  if (request.approvedAt !== undefined) return `${DONE} *Approved* by ${who}${when(request.approvedAt)}`;
  const missing = Math.max(0, request.requiredApprovals - request.approvals.length);
  const sofar = who === '' ? '' : ` (so far ${who})`;
  if (request.status !== 'PENDING')
    return `${NOT_YET} Approval: ${request.approvals.length} of ${request.requiredApprovals}${sofar}`;
  return `${WAITING} *Approval*: ${request.approvals.length} of ${request.requiredApprovals}${sofar}, ${plural(missing, 'more approval')} needed`;
}

function submittedLine(request: InvalidationRequest): string {
  if (request.submittedAt === undefined) {
    return request.status === 'APPROVED' ? `${WAITING} *Submitting* to CloudFront` : `${NOT_YET} Submitted`;
  }
  if (request.dryRun)
    return `:test_tube: *Submitted* as a dry run: nothing was sent${when(request.submittedAt)}`;
  return `${DONE} *Submitted* to CloudFront${when(request.submittedAt)}`;
}

function inProgressLine(request: InvalidationRequest): string {
  const ms = elapsedMs(request.submittedAt, request.lastCheckedAt ?? request.submittedAt) ?? 0;
  const usual = `CloudFront usually finishes within ${formatElapsed(USUAL_COMPLETION_MS)}`;
  const slow = ms > USUAL_COMPLETION_MS ? ', large or wildcard ones take longer' : '';
  return `:arrows_counterclockwise: *In progress* for ${formatElapsed(ms)} (${usual}${slow})`;
}

function endLine(request: InvalidationRequest): string | undefined {
  const by = request.decidedBy === undefined ? '' : ` by ${mention(request.decidedBy)}`;
  switch (request.status) {
    case 'REJECTED':
      return `:no_entry: *Rejected*${by}${when(request.endedAt)}`;
    case 'CANCELLED':
      return `:heavy_multiplication_x: *Cancelled*${by}${when(request.endedAt)}`;
    case 'EXPIRED':
      return `:alarm_clock: *Expired*: no decision${when(request.endedAt ?? request.decideBy)}`;
    case 'FAILED':
      return `:x: *Failed*${when(request.endedAt)}`;
    default:
      return undefined;
  }
}

export function progressBlock(request: InvalidationRequest): KnownBlock {
  return contextBlock(progressLines(request).join('\n'));
}
