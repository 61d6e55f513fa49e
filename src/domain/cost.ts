/**
 * What an invalidation costs. CloudFront bills per path entry (a wildcard path
 * is one entry, however many files it matches; a cache tag is one entry too),
 * after a free allowance per AWS account per month. So the count to pass is the
 * request's items: paths and tags alike, across all its batches.
 */

export const FREE_PATHS_PER_MONTH = 1_000;
/** In tenths of a cent ($0.005), so sums stay integers until the last step. */
const PRICE_PER_PATH_MILLS = 5;

export interface CostEstimate {
  billablePaths: number;
  usd: number;
}

/**
 * `usedThisMonth`: paths the account already invalidated this month, which
 * use up the free allowance first.
 */
export function estimateCost(pathCount: number, usedThisMonth = 0): CostEstimate {
  requireCount('pathCount', pathCount);
  requireCount('usedThisMonth', usedThisMonth);
  const freeLeft = Math.max(0, FREE_PATHS_PER_MONTH - usedThisMonth);
  const billablePaths = Math.max(0, pathCount - freeLeft);
  return { billablePaths, usd: (billablePaths * PRICE_PER_PATH_MILLS) / 1000 };
}

function requireCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number of paths, got ${value}`);
  }
}
