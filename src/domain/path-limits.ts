/** The limits on what one request may hold, and the number format their messages use. */

export const PATH_LIMITS = {
  /** CloudFront: the longest invalidation path, counted after encoding. */
  maxPathLength: 4_000,
  /**
   * Ours: the most items (paths and tags) one request may hold. CloudFront takes
   * 3,000 per invalidation, so this is up to 34 batches, submitted one after another.
   */
  maxItems: 100_000,
  /** Ours: all items together, in characters (the store splits them into items well under 400 KB). */
  maxTotalLength: 8_000_000,
  /** Ours: beyond this many errors a person learns nothing new from the list. */
  maxReportedErrors: 20,
  /** Ours: how much of an offending line an error quotes. */
  maxQuotedLength: 80,
} as const;

/** 3000 → "3,000", without relying on the runtime's locale data. */
export function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
