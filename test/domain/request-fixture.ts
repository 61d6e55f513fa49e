import type { DistributionConfig } from '../../src/domain/config';
import type { InvalidationRequest, Notice } from '../../src/domain/request';

/** Test data for the domain core: plain objects, no lifecycle logic, so tests can start from any state. */

/** The fixed "now" the fixtures are built around. */
export const T0 = new Date('2025-03-01T12:00:00.000Z');

/** A time `ms` after T0 (negative: before). */
export function later(ms: number, from: Date = T0): Date {
  return new Date(from.getTime() + ms);
}

export const MINUTE = 60_000;

export function distributionConfig(overrides: Partial<DistributionConfig> = {}): DistributionConfig {
  return {
    alias: 'www',
    id: 'E2QWRUHAPOMQZL',
    description: 'Public website',
    approvers: ['U01ALICE', 'U01BOB', 'U01CAROL'],
    requiredApprovals: 1,
    allowSelfApproval: false,
    requesters: ['*'],
    domains: [],
    cacheTags: false,
    breakGlass: [],
    requireReason: false,
    ...overrides,
  };
}

export function notice(overrides: Partial<Notice> & Pick<Notice, 'kind'>): Notice {
  return {
    id: `${overrides.kind}@1`,
    createdAt: T0.toISOString(),
    attempts: 0,
    ...overrides,
  };
}

/**
 * A request as newRequest would build it for `distributionConfig()` at T0 (PENDING, one approval
 * needed, a day to decide, the card owed), with any field overridden.
 */
export function invalidationRequest(overrides: Partial<InvalidationRequest> = {}): InvalidationRequest {
  return {
    id: '01JNB2Z8Q7R4K3M5T6V7W8X9YZ',
    status: 'PENDING',
    version: 1,
    distributionAlias: 'www',
    distributionId: 'E2QWRUHAPOMQZL',
    requesterId: 'U01REQUESTER',
    reason: 'new stylesheet',
    paths: ['/index.html', '/css/*'],
    wildcardCount: 1,
    requiredApprovals: 1,
    approvals: [],
    channel: 'C0APPROVALS',
    createdAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
    decideBy: later(1440 * MINUTE).toISOString(),
    submitAttempts: 0,
    dryRun: false,
    outbox: [notice({ kind: 'card' })],
    ...overrides,
  };
}
