import { describe, expect, it } from 'vitest';
import type { InvalidationRequest, RequestStatus } from '../../src/domain/request';
import { nextDueAt } from '../../src/store/due';
import { at, MINUTE, notice, pendingRequest } from './fixtures';

function requestIn(status: RequestStatus, overrides: Partial<InvalidationRequest> = {}): InvalidationRequest {
  return pendingRequest({ status, updatedAt: at(MINUTE), decideBy: at(60 * MINUTE), ...overrides });
}

describe('nextDueAt', () => {
  const cases: Array<[string, InvalidationRequest, string | undefined]> = [
    ['PENDING: at its decision deadline', requestIn('PENDING'), at(60 * MINUTE)],
    ['APPROVED without a next attempt: at once (its last write)', requestIn('APPROVED'), at(MINUTE)],
    [
      'APPROVED waiting to retry: at the next attempt',
      requestIn('APPROVED', { nextAttemptAt: at(5 * MINUTE) }),
      at(5 * MINUTE),
    ],
    ['SUBMITTED without a next check: at once', requestIn('SUBMITTED'), at(MINUTE)],
    [
      'SUBMITTED: at the next status check',
      requestIn('SUBMITTED', { nextAttemptAt: at(2 * MINUTE) }),
      at(2 * MINUTE),
    ],
    ['COMPLETED with nothing owed: never', requestIn('COMPLETED'), undefined],
    ...(['REJECTED', 'CANCELLED', 'EXPIRED', 'FAILED'] as const).map(
      (status): [string, InvalidationRequest, string | undefined] => [
        `${status} with nothing owed: never`,
        requestIn(status),
        undefined,
      ],
    ),
    [
      'COMPLETED owed a notice: when the notice was queued',
      requestIn('COMPLETED', { outbox: [notice({ createdAt: at(3 * MINUTE) })] }),
      at(3 * MINUTE),
    ],
    [
      'a notice backing off: at its notBefore',
      requestIn('REJECTED', { outbox: [notice({ notBefore: at(7 * MINUTE) })] }),
      at(7 * MINUTE),
    ],
    [
      'a claimed notice: when the lease ends',
      requestIn('FAILED', { outbox: [notice({ claimedUntil: at(4 * MINUTE) })] }),
      at(4 * MINUTE),
    ],
    [
      'a notice both backing off and claimed: the later of the two',
      requestIn('FAILED', { outbox: [notice({ notBefore: at(9 * MINUTE), claimedUntil: at(4 * MINUTE) })] }),
      at(9 * MINUTE),
    ],
    [
      'several notices: the earliest',
      requestIn('COMPLETED', {
        outbox: [
          notice({ id: 'a', notBefore: at(9 * MINUTE) }),
          notice({ id: 'b', notBefore: at(6 * MINUTE) }),
        ],
      }),
      at(6 * MINUTE),
    ],
    [
      'PENDING owed its card: the card, before the deadline',
      requestIn('PENDING', { outbox: [notice({ createdAt: at(0) })] }),
      at(0),
    ],
    [
      'SUBMITTED with a later notice: the status check first',
      requestIn('SUBMITTED', {
        nextAttemptAt: at(2 * MINUTE),
        outbox: [notice({ notBefore: at(8 * MINUTE) })],
      }),
      at(2 * MINUTE),
    ],
  ];

  it.each(cases)('%s', (_name, request, expected) => {
    expect(nextDueAt(request)).toBe(expected);
  });

  it('normalises times so they sort as strings', () => {
    const request = requestIn('APPROVED', { nextAttemptAt: '2030-01-01T13:00:00Z' });
    expect(nextDueAt(request)).toBe('2030-01-01T13:00:00.000Z');
  });

  it('rejects a time it cannot read', () => {
    expect(() => nextDueAt(requestIn('APPROVED', { nextAttemptAt: 'soon' }))).toThrow(/soon/);
  });
});
