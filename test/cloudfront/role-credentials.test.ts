import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/app/ports';
import type { CloudFrontGateway } from '../../src/cloudfront/gateway';
import { STATUS_SESSION_NAME } from '../../src/cloudfront/role-credentials';
import { type CloudFrontFake, startCloudFrontFake } from '../support/cloudfront-fake';
import { gatewayToFake, ROLE_ARN } from '../support/gateway-to-fake';

const DIST = 'E2QWRUHAPOMQZL';
const ROLE_B = 'arn:aws:iam::210987654321:role/cf-invalidator';
const MINUTE = 60_000;

class TestClock implements Clock {
  private t = Date.now();
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

let fake: CloudFrontFake;
let clock: TestClock;
let gateway: CloudFrontGateway;

beforeEach(async () => {
  clock = new TestClock();
  // STS and the bot share one clock, as they do in AWS (within skew).
  fake = await startCloudFrontFake({
    distributions: [DIST],
    credentialLifetimeSeconds: 3600,
    now: () => clock.now(),
  });
  gateway = gatewayToFake(fake, { clock });
});

afterEach(async () => {
  await fake.stop();
});

const ATTRIBUTION = {
  requestId: '01JREQUEST0000000000000001',
  requesterId: 'U0ALICE01',
  approverIds: ['U0BOB0001', 'U0CAROL01'],
};
const INVALIDATOR = 'arn:aws:iam::123456789012:role/bot-invalidator';

async function submit(
  roleArn: string | undefined,
  ref: string,
  on: CloudFrontGateway = gateway,
): Promise<string> {
  const created = await on.submit({ distributionId: DIST, roleArn }, ref, ['/a']);
  if (!created.ok) throw new Error(created.error.message);
  return created.value.invalidationId;
}

async function check(roleArn: string | undefined, invalidationId: string): Promise<void> {
  const got = await gateway.get({ distributionId: DIST, roleArn }, invalidationId);
  if (!got.ok) throw new Error(got.error.message);
}

const cloudFrontKeys = () =>
  fake.state.calls.filter((c) => c.operation !== 'AssumeRole').map((c) => c.accessKeyId);
const sessions = () => fake.state.callsOf('AssumeRole').map((c) => c.sessionName);

describe('per-distribution roleArn', () => {
  it('signs with the bot credentials when there is no role, without calling STS', async () => {
    await check(undefined, await submit(undefined, 'ref-own'));

    expect(fake.state.assumedRoles).toEqual([]);
    expect(cloudFrontKeys()).toEqual(['AKIDBASE', 'AKIDBASE']);
  });

  it('submits each request under a session of its own, named after the request; its batches share it', async () => {
    await submit(ROLE_ARN, '01JREQA');
    await submit(ROLE_ARN, '01JREQA-2');
    await submit(ROLE_ARN, '01JREQB');

    expect(fake.state.assumedRoles).toEqual([ROLE_ARN, ROLE_ARN]);
    expect(sessions()).toEqual(['bot-request-01JREQA', 'bot-request-01JREQB']);
    // AssumeRole is called with the base credentials; CloudFront with the session's.
    expect(fake.state.callsOf('AssumeRole').map((c) => c.accessKeyId)).toEqual(['AKIDBASE', 'AKIDBASE']);
    expect(cloudFrontKeys()).toEqual(['ASIAFAKE00000001', 'ASIAFAKE00000001', 'ASIAFAKE00000002']);
  });

  it('status checks share one session per role, whatever the request', async () => {
    const a = await submit(ROLE_ARN, '01JREQA');
    const b = await submit(ROLE_ARN, '01JREQB');
    await check(ROLE_ARN, a);
    await check(ROLE_ARN, b);
    const listed = await gateway.listDistributions({ roleArn: ROLE_ARN });

    expect(listed.ok).toBe(true);
    expect(sessions()).toEqual(['bot-request-01JREQA', 'bot-request-01JREQB', STATUS_SESSION_NAME]);
    expect(cloudFrontKeys().slice(2)).toEqual(['ASIAFAKE00000003', 'ASIAFAKE00000003', 'ASIAFAKE00000003']);
  });

  it('shares one AssumeRole between concurrent calls of one request', async () => {
    const results = await Promise.all(
      ['01JREQC', '01JREQC-2', '01JREQC-3'].map((ref) =>
        gateway.submit({ distributionId: DIST, roleArn: ROLE_ARN }, ref, ['/a']),
      ),
    );

    expect(results.every((r) => r.ok)).toBe(true);
    expect(sessions()).toEqual(['bot-request-01JREQC']);
  });

  it('keeps separate status sessions per role', async () => {
    const a = await submit(undefined, 'ref-a');
    await check(ROLE_ARN, a);
    await check(ROLE_B, a);
    await check(ROLE_ARN, a);

    expect(fake.state.assumedRoles).toEqual([ROLE_ARN, ROLE_B]);
    expect(cloudFrontKeys()).toEqual([
      'AKIDBASE',
      'ASIAFAKE00000001',
      'ASIAFAKE00000002',
      'ASIAFAKE00000001',
    ]);
  });

  it('reuses a status session until shortly before it expires, then assumes the role again', async () => {
    const id = await submit(undefined, 'ref-1');
    await check(ROLE_ARN, id);
    clock.advance(50 * MINUTE);
    await check(ROLE_ARN, id);
    expect(fake.state.assumedRoles).toHaveLength(1);

    // Within the renewal margin (5 minutes) of the one-hour lifetime.
    clock.advance(7 * MINUTE);
    await check(ROLE_ARN, id);

    expect(fake.state.assumedRoles).toEqual([ROLE_ARN, ROLE_ARN]);
    expect(cloudFrontKeys().slice(1)).toEqual(['ASIAFAKE00000001', 'ASIAFAKE00000001', 'ASIAFAKE00000002']);
  });
});

describe("the stack's invalidator role (INVALIDATOR_ROLE_ARN)", () => {
  let withInvalidator: CloudFrontGateway;
  beforeEach(() => {
    withInvalidator = gatewayToFake(fake, { clock, invalidatorRoleArn: INVALIDATOR });
  });

  it('same-account targets are submitted under it, with the requester as source identity and the people as tags', async () => {
    const created = await withInvalidator.submit({ distributionId: DIST }, ATTRIBUTION.requestId, ['/a'], {
      attribution: ATTRIBUTION,
    });

    expect(created.ok).toBe(true);
    expect(fake.state.callsOf('AssumeRole')).toEqual([
      expect.objectContaining({
        roleArn: INVALIDATOR,
        sessionName: `bot-request-${ATTRIBUTION.requestId}`,
        sourceIdentity: 'slack-U0ALICE01',
        tags: {
          'bot-request': ATTRIBUTION.requestId,
          requester: 'U0ALICE01',
          approvers: 'U0BOB0001 U0CAROL01',
        },
      }),
    ]);
    expect(cloudFrontKeys()).toEqual(['ASIAFAKE00000001']);
  });

  it('cross-account targets are submitted under their own role, named after the request, without tags (their trust policy is not ours)', async () => {
    await withInvalidator.submit({ distributionId: DIST, roleArn: ROLE_ARN }, ATTRIBUTION.requestId, ['/a'], {
      attribution: ATTRIBUTION,
    });

    const [assume] = fake.state.callsOf('AssumeRole');
    expect(assume).toMatchObject({ roleArn: ROLE_ARN, sessionName: `bot-request-${ATTRIBUTION.requestId}` });
    expect(assume?.sourceIdentity).toBeUndefined();
    expect(assume?.tags).toBeUndefined();
  });

  it('names the invalidator role when CloudFront denies it', async () => {
    fake.inject({ operation: 'CreateInvalidation', code: 'AccessDenied' });
    const result = await withInvalidator.submit({ distributionId: DIST }, 'ref-denied', ['/a']);
    expect(result).toMatchObject({ ok: false, error: { kind: 'permanent' } });
    if (!result.ok) expect(result.error.message).toContain(INVALIDATOR);
  });
});

describe('AssumeRole failures', () => {
  it('maps AccessDenied to a permanent error naming sts:AssumeRole and the role, without calling CloudFront', async () => {
    fake.inject({ operation: 'AssumeRole', code: 'AccessDenied' });

    const result = await gateway.submit({ distributionId: DIST, roleArn: ROLE_ARN }, 'ref-denied', ['/a']);

    expect(result).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'AccessDenied' } });
    if (result.ok) return;
    expect(result.error.message).toContain('sts:AssumeRole');
    expect(result.error.message).toContain(ROLE_ARN);
    expect(fake.state.callsOf('CreateInvalidation')).toHaveLength(0);
  });

  it.each([
    { code: 'Throttling', status: 400 },
    { code: 'ServiceUnavailable', status: 503 },
  ])('maps $code to a transient error, and a later call assumes the role', async ({ code, status }) => {
    fake.inject({ operation: 'AssumeRole', code, status, times: 2 });

    const failed = await gateway.submit({ distributionId: DIST, roleArn: ROLE_ARN }, 'ref-t', ['/a']);
    const retried = await gateway.submit({ distributionId: DIST, roleArn: ROLE_ARN }, 'ref-t', ['/a']);

    expect(failed).toMatchObject({ ok: false, error: { kind: 'transient', code } });
    expect(retried.ok).toBe(true);
    expect(fake.state.assumedRoles).toEqual([ROLE_ARN]);
  });

  it('maps an unreachable STS to a transient NetworkError', async () => {
    const offline = gatewayToFake(fake, { stsEndpoint: 'http://127.0.0.1:1', clock });

    const result = await offline.submit({ distributionId: DIST, roleArn: ROLE_ARN }, 'ref-n', ['/a']);

    expect(result).toMatchObject({ ok: false, error: { kind: 'transient', code: 'NetworkError' } });
    if (result.ok) return;
    expect(result.error.message).toContain('AWS STS');
  });
});
