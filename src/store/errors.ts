/** Other writers kept winning: the read-decide-write cycle gave up. Safe to retry later. */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
  constructor(
    readonly requestId: string,
    readonly attempts: number,
  ) {
    super(`request ${requestId}: gave up after ${attempts} conflicting writes`);
  }
}

/** An item in the table does not have the shape this code writes. */
export class StoredItemError extends Error {
  override readonly name = 'StoredItemError';
  constructor(
    readonly requestId: string,
    problem: string,
  ) {
    super(`request ${requestId}: stored item is invalid: ${problem}`);
  }
}

/** A `decide` function returned a change the store refuses to write (a bug in the caller). */
export class InvalidChangeError extends Error {
  override readonly name = 'InvalidChangeError';
}
