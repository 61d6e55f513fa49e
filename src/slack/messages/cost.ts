import { estimateCost, FREE_PATHS_PER_MONTH } from '../../domain/cost';
import { groupThousands, plural } from './mrkdwn';

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
  const beyond = plural(best.billablePaths, 'path');
  return `at least ${formatUsd(best.usd)} (${beyond} beyond the ${allowance}); ${worst} if the allowance is used up`;
}
