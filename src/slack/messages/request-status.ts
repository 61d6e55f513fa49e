import type { RequestStatus } from '../../domain/request';

interface StatusWords {
  /** To scan by, on the card and in lists. */
  emoji: string;
  /** Its name on the card and in lists: "In progress". */
  label: string;
  /** Within a sentence, after "it is": "submitted to CloudFront". */
  state: string;
  /** In a dry run nothing reaches CloudFront, so no words may say it did. */
  dryRun?: { state?: string; noLongerPending?: string };
}

/** A request that has left PENDING also says what became of it, to a click that came too late. */
type RowOf<S extends RequestStatus> = StatusWords &
  (S extends 'PENDING' ? unknown : { noLongerPending: string });

/** How each status reads in Slack: every word for a status is in its row, so a new one is worded once. */
const STATUS_WORDS: { readonly [S in RequestStatus]: RowOf<S> } = {
  PENDING: {
    emoji: ':hourglass_flowing_sand:',
    label: 'Waiting for approval',
    state: 'waiting for approval',
  },
  APPROVED: {
    emoji: ':large_green_circle:',
    label: 'Approved',
    state: 'approved',
    noLongerPending: 'it has already been approved',
  },
  SUBMITTED: {
    emoji: ':arrows_counterclockwise:',
    label: 'In progress',
    state: 'submitted to CloudFront',
    noLongerPending: 'it has already been approved and sent to CloudFront',
    dryRun: {
      state: 'approved (dry run: nothing is sent)',
      noLongerPending: 'it has already been approved (a dry run: CloudFront is not called)',
    },
  },
  COMPLETED: {
    emoji: ':white_check_mark:',
    label: 'Completed',
    state: 'completed',
    noLongerPending: 'it has already been approved and the invalidation has completed',
    dryRun: { noLongerPending: 'it has already been approved and the dry run has completed' },
  },
  REJECTED: { emoji: ':no_entry:', label: 'Rejected', state: 'rejected', noLongerPending: 'it was rejected' },
  CANCELLED: {
    emoji: ':heavy_multiplication_x:',
    label: 'Cancelled',
    state: 'cancelled',
    noLongerPending: 'it was cancelled',
  },
  EXPIRED: {
    emoji: ':alarm_clock:',
    label: 'Expired',
    state: 'expired',
    noLongerPending: 'it expired before anyone decided',
  },
  FAILED: {
    emoji: ':x:',
    label: 'Failed',
    state: 'failed',
    noLongerPending: 'it was approved but failed at CloudFront',
    dryRun: { noLongerPending: 'it was approved but failed' },
  },
};

export function statusEmoji(status: RequestStatus): string {
  return STATUS_WORDS[status].emoji;
}

export function statusLabel(status: RequestStatus): string {
  return STATUS_WORDS[status].label;
}

/** ":white_check_mark: Completed" */
export function statusBadge(status: RequestStatus): string {
  return `${statusEmoji(status)} ${statusLabel(status)}`;
}

/** The status within a sentence, after "it is": "submitted to CloudFront". */
export function statusState(status: RequestStatus, dryRun: boolean): string {
  const words = STATUS_WORDS[status];
  return (dryRun ? words.dryRun?.state : undefined) ?? words.state;
}

/** What became of a request that left PENDING: "it was cancelled". */
export function noLongerPending(status: Exclude<RequestStatus, 'PENDING'>, dryRun: boolean): string {
  const words = STATUS_WORDS[status];
  return (dryRun ? words.dryRun?.noLongerPending : undefined) ?? words.noLongerPending;
}

const SHORT_ID_LENGTH = 8;

/**
 * The tail of the ULID: its head is the timestamp, shared by requests made in
 * the same minute, while the tail is random. `/invalidate status` should accept
 * it as well as the full id (match with `id.endsWith(short)`).
 */
export function shortId(id: string): string {
  return id.slice(-SHORT_ID_LENGTH);
}
