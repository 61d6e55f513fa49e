import type { InvalidationRequest, Notice, NoticeKind } from '../../src/domain/request';

/** A pending request for two paths on `www`, needing two approvals; override what a test is about. */
export function aRequest(overrides: Partial<InvalidationRequest> = {}): InvalidationRequest {
  return {
    id: '01HZX3K9Q7M2V8RT5WAB7K2M9Q',
    status: 'PENDING',
    version: 1,
    distributionAlias: 'www',
    distributionId: 'E2QWRUHAPOMQZL',
    requesterId: 'U01REQUESTER',
    reason: 'Deployed release 42',
    paths: ['/index.html', '/css/*'],
    wildcardCount: 1,
    requiredApprovals: 2,
    approvals: [],
    channel: 'C0APPROVALS',
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-05-01T10:00:00.000Z',
    decideBy: '2024-05-02T10:00:00.000Z',
    submitAttempts: 0,
    dryRun: false,
    outbox: [],
    ...overrides,
  };
}

export function aNotice<K extends NoticeKind>(
  kind: K,
  overrides: Partial<Omit<Notice, 'kind'>> = {},
): Notice & { kind: K } {
  return { id: `n-${kind}`, kind, createdAt: '2024-05-01T10:05:00.000Z', attempts: 0, ...overrides };
}

/** `count` distinct paths of exactly `length` characters each. */
export function manyPaths(count: number, length = 40): string[] {
  return Array.from({ length: count }, (_, i) => {
    const head = `/assets/${i}/`;
    return head + 'x'.repeat(Math.max(0, length - head.length));
  });
}
