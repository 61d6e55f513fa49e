import type { BatchProgress } from './batches';
import type { Normalisation } from './paths';

/**
 * The invalidation request as the rest of the bot sees it. Pure data: the store
 * persists it, the Slack layer renders it, the lifecycle changes it.
 */

export const REQUEST_STATUSES = [
  'PENDING',
  'APPROVED',
  'SUBMITTED',
  'COMPLETED',
  'REJECTED',
  'CANCELLED',
  'EXPIRED',
  'FAILED',
] as const;

export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<RequestStatus> = new Set([
  'COMPLETED',
  'REJECTED',
  'CANCELLED',
  'EXPIRED',
  'FAILED',
]);

/** In flight: approved but CloudFront has not finished yet. */
export const IN_FLIGHT_STATUSES: ReadonlySet<RequestStatus> = new Set(['APPROVED', 'SUBMITTED']);

export interface Approval {
  userId: string;
  at: string;
}

/**
 * Something the people around a request are owed: a thread reply, a DM, a card
 * refresh. Notices are queued in the same write as the state change that causes
 * them, so a failed Slack post never loses the change and is retried later.
 */
export type NoticeKind =
  | 'card' // post the card (first time) or update it in place
  | 'approved' // thread: "approved by @x, 1 of 2"
  | 'rejected'
  | 'cancelled'
  | 'submitted' // thread: submitted, invalidation id
  | 'queued' // thread: transient CloudFront error, will retry
  | 'still-in-progress'
  | 'completed' // thread: completed in 1m 12s
  | 'failed' // thread: actionable error
  | 'expired'
  | 'requester-recorded' // DM to requester: a modal request was recorded (the modal has closed)
  | 'requester-completed' // DM to requester
  | 'requester-failed' // DM to requester
  | 'requester-rejected' // DM to requester: who rejected, and why
  | 'requester-expired' // DM to requester: nobody decided in time
  | 'requester-card-failed' // DM to requester: the card could not be posted, so the request failed
  | 'ask-approvers' // thread: the first reply, mentioning who may approve
  | 'reminder' // thread: one more mention of the approvers while still undecided
  | 'break-glass-review'; // thread: approval was skipped, approvers asked to review

export interface Notice {
  /** `<kind>@<version>`: unique within the request (every write bumps the version). */
  id: string;
  kind: NoticeKind;
  /** The user who caused it, where there is one. */
  actorId?: string;
  /** Free text the message needs (an error message, a reason). */
  detail?: string;
  createdAt: string;
  attempts: number;
  /** Not to be tried before this time (rate limits, backoff). */
  notBefore?: string;
  /** A deliverer holds it until this time; others leave it alone. */
  claimedUntil?: string;
}

export interface InvalidationRequest {
  /** ULID: sorts by creation time. */
  id: string;
  status: RequestStatus;
  /** Bumped by every write; every write is conditional on it. */
  version: number;
  distributionAlias: string;
  distributionId: string;
  requesterId: string;
  reason: string;
  /** Validated, normalised CloudFront items, in input order: paths (`/…`) and cache tags (`#…`, see ./tags). */
  paths: string[];
  wildcardCount: number;
  requiredApprovals: number;
  approvals: Approval[];
  /** Channel holding the request card; replies go in its thread. */
  channel: string;
  /** Timestamp of the card message once posted. */
  cardTs?: string;
  /** The card's permalink, learned when it was posted, so answers can link it without asking Slack. */
  cardPermalink?: string;
  createdAt: string;
  updatedAt: string;
  /** An undecided request expires at this time. */
  decideBy: string;
  /** Who rejected or cancelled it. */
  decidedBy?: string;
  approvedAt?: string;
  /** CloudFront's invalidation id once submitted. */
  invalidationId?: string;
  submittedAt?: string;
  submitAttempts: number;
  /** Earliest time of the next submission attempt or status check. */
  nextAttemptAt?: string;
  /** Last status CloudFront reported, and when it was checked. */
  cloudFrontStatus?: string;
  lastCheckedAt?: string;
  completedAt?: string;
  /** The user-facing error of the last failure (transient or permanent). */
  lastError?: string;
  /** When the one "still in progress" thread reply was queued, so it is sent once. */
  stillInProgressNotifiedAt?: string;
  /** When the one reminder to the approvers is due, while the request is undecided. */
  remindAt?: string;
  /** When the reminder was queued, so it is sent once. */
  remindedAt?: string;
  /** The requester skipped approval (break-glass); the reason is required then. */
  breakGlass?: boolean;
  /** When the request reached an end other than COMPLETED (rejected, cancelled, expired, failed). */
  endedAt?: string;
  /** IAM role assumed for this distribution's calls, from config at creation. */
  roleArn?: string;
  /** A distribution tenant (`dt_…`) of `distributionId`, from config at creation: the tenant operations are used. */
  tenantId?: string;
  /**
   * The batches CloudFront has (README "Limits"): a request of more than 3,000
   * items or 15 wildcards is split, see ./batches. Absent before the first submission.
   */
  batches?: BatchProgress[];
  /** What was changed in the input on the way in, when anything was; the card says so. */
  normalised?: Normalisation;
  dryRun: boolean;
  outbox: Notice[];
}

/** One line of the audit trail: who did what, when. */
export interface AuditEvent {
  requestId: string;
  at: string;
  /** Slack user id, or `bot` for the bot's own actions. */
  actor: string;
  action: string;
  fromStatus?: RequestStatus;
  toStatus?: RequestStatus;
  detail?: string;
}

export function isTerminal(status: RequestStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}
