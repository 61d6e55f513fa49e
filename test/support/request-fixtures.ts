import { type DistributionConfig, distributionSchema } from '../../src/config/bot-config';
import type { InvalidationRequest, Notice, NoticeKind } from '../../src/domain/request';

/**
 * The one request fixture module: plain objects, no lifecycle logic, so tests can start from
 * any state. Every builder starts from the same request (`www`, two paths, one wildcard,
 * PENDING) and sets the scene its tests are written around; override what a test is about.
 */

export const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

/** The fixed "now" the domain fixtures are built around. */
export const T0 = new Date('2025-03-01T12:00:00.000Z');

/** A time `ms` after T0 (negative: before). */
export function later(ms: number, from: Date = T0): Date {
  return new Date(from.getTime() + ms);
}

/** The request every builder starts from, created at `createdAt` with a day to decide. */
function baseRequest(id: string, createdAt: string): InvalidationRequest {
  return {
    id,
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
    createdAt,
    updatedAt: createdAt,
    decideBy: new Date(Date.parse(createdAt) + DAY).toISOString(),
    submitAttempts: 0,
    dryRun: false,
    outbox: [],
  };
}

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
 * For the domain core: a request as newRequest would build it for `distributionConfig()` at T0
 * (PENDING, one approval needed, a day to decide, the card owed).
 */
export function invalidationRequest(overrides: Partial<InvalidationRequest> = {}): InvalidationRequest {
  return {
    ...baseRequest('01JNB2Z8Q7R4K3M5T6V7W8X9YZ', T0.toISOString()),
    outbox: [notice({ kind: 'card' })],
    ...overrides,
  };
}

/** For the Slack builders: a pending request needing two approvals, nothing owed. */
export function aRequest(overrides: Partial<InvalidationRequest> = {}): InvalidationRequest {
  return {
    ...baseRequest('01HZX3K9Q7M2V8RT5WAB7K2M9Q', '2024-05-01T10:00:00.000Z'),
    reason: 'Deployed release 42',
    requiredApprovals: 2,
    ...overrides,
  };
}

/**
 * For the store: a fresh request created at `createdAt` (the caller's clock), nothing owed;
 * `id` should carry the same time, as in the product.
 */
export function storedRequest(
  id: string,
  createdAt: string,
  overrides: Partial<InvalidationRequest> = {},
): InvalidationRequest {
  return { ...baseRequest(id, createdAt), reason: 'deploy', ...overrides };
}

export function aNotice<K extends NoticeKind>(
  kind: K,
  overrides: Partial<Omit<Notice, 'kind'>> = {},
): Notice & { kind: K } {
  return { ...notice({ kind, id: `n-${kind}`, createdAt: '2024-05-01T10:05:00.000Z', ...overrides }), kind };
}

/** `count` distinct paths of exactly `length` characters each. */
export function manyPaths(count: number, length = 40): string[] {
  return Array.from({ length: count }, (_, i) => {
    const head = `/assets/${i}/`;
    return head + 'x'.repeat(Math.max(0, length - head.length));
  });
}

/**
 * For the policy rules and their words: `www` approved by a user and a user group, parsed
 * through the real schema so it carries the real defaults.
 */
export function parsedDistribution(fields: Record<string, unknown> = {}): DistributionConfig {
  return distributionSchema.parse({
    alias: 'www',
    id: 'E2QWRUHAPOMQZL',
    approvers: ['U0ALICE', 'S0SRE'],
    ...fields,
  });
}
