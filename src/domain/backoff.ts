/** Waits that double with each attempt (1st attempt waits `firstMs`), never longer than `capMs`. */
export function doublingBackoffMs(attempt: number, firstMs: number, capMs: number): number {
  return Math.min(firstMs * 2 ** Math.max(0, attempt - 1), capMs);
}
