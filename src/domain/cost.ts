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

/** "$0.00", "$1.25", "$1,234.50"; a half cent shows as "$0.005" rather than rounding a real charge away. */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd) || usd < 0) throw new RangeError(`not an amount of money: ${usd}`);
  const mills = Math.round(usd * 1000);
  const dollars = Math.floor(mills / 1000);
  const fraction = String(mills % 1000).padStart(3, '0');
  const shownFraction = fraction.endsWith('0') ? fraction.slice(0, 2) : fraction;
  return `$${groupThousands(dollars)}.${shownFraction}`;
}

/**
 * The cost line of the request card. The bot cannot see how much of the
 * account's allowance is left, so it states both ends: what it costs with the
 * allowance untouched, and what it costs once the allowance is used up.
 */
export function describeCost(pathCount: number): string {
  const worst = formatUsd(estimateCost(pathCount, FREE_PATHS_PER_MONTH).usd);
  const best = estimateCost(pathCount);
  const allowance = `${groupThousands(FREE_PATHS_PER_MONTH)} free paths/month`;
  if (best.billablePaths === 0) {
    return `free within the ${allowance}; ${worst} if the allowance is used up`;
  }
  const beyond = `${groupThousands(best.billablePaths)} ${best.billablePaths === 1 ? 'path' : 'paths'}`;
  return `at least ${formatUsd(best.usd)} (${beyond} beyond the ${allowance}); ${worst} if the allowance is used up`;
}

function requireCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number of paths, got ${value}`);
  }
}

function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
