import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/app/ports';
import { type CloudFrontGateway, createCloudFrontGateway } from '../../src/cloudfront/gateway';
import { type CloudFrontFake, startCloudFrontFake } from '../support/cloudfront-fake';

const DIST = 'E2QWRUHAPOMQZL';
const ROLE = 'arn:aws:iam::123456789012:role/cf-invalidator';
const ROLE_B = 'arn:aws:iam::210987654321:role/cf-invalidator';
const credentials = { accessKeyId: 'AKIDBASE', secretAccessKey: 'base-secret' };
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
  gateway = createCloudFrontGateway({
    endpoint: fake.endpoint,
    stsEndpoint: fake.stsEndpoint,
    credentials,
    clock,
  });
});

afterEach(async () => {
  await fake.stop();
});

async function submitAndGet(roleArn: string | undefined, ref: string): Promise<void> {
  const created = await gateway.submit({ distributionId: DIST, roleArn }, ref, ['/a']);
  if (!created.ok) throw new Error(created.error.message);
  const got = await gateway.get({ distributionId: DIST, roleArn }, created.value.invalidationId);
  if (!got.ok) throw new Error(got.error.message);
}

const cloudFrontKeys = () =>
  fake.state.calls.filter((c) => c.operation !== 'AssumeRole').map((c) => c.accessKeyId);

describe('per-distribution roleArn', () => {
  it('signs with the bot credentials when there is no role, without calling STS', async () => {
    await submitAndGet(undefined, 'ref-own');

    expect(fake.state.assumedRoles).toEqual([]);
    expect(cloudFrontKeys()).toEqual(['AKIDBASE', 'AKIDBASE']);
  });

  it('assumes the role once, with the base credentials, and signs CloudFront calls with the result', async () => {
    await submitAndGet(ROLE, 'ref-1');
    await submitAndGet(ROLE, 'ref-2');
    const listed = await gateway.listDistributions({ roleArn: ROLE });

    expect(listed.ok).toBe(true);
    expect(fake.state.assumedRoles).toEqual([ROLE]);
    const [assume] = fake.state.callsOf('AssumeRole');
    expect(assume?.accessKeyId).toBe('AKIDBASE');
    const keys = cloudFrontKeys();
    expect(keys).toHaveLength(5);
    expect(new Set(keys)).toEqual(new Set(['ASIAFAKE00000001']));
  });

  it('shares one AssumeRole between concurrent calls', async () => {
    const results = await Promise.all(
      ['r1', 'r2', 'r3'].map((ref) => gateway.submit({ distributionId: DIST, roleArn: ROLE }, ref, ['/a'])),
    );

    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.state.assumedRoles).toEqual([ROLE]);
  });

  it('keeps separate credentials per role', async () => {
    await submitAndGet(ROLE, 'ref-a');
    await submitAndGet(ROLE_B, 'ref-b');
    await submitAndGet(ROLE, 'ref-c');

    expect(fake.state.assumedRoles).toEqual([ROLE, ROLE_B]);
    expect(cloudFrontKeys()).toEqual([
      'ASIAFAKE00000001',
      'ASIAFAKE00000001',
      'ASIAFAKE00000002',
      'ASIAFAKE00000002',
      'ASIAFAKE00000001',
      'ASIAFAKE00000001',
    ]);
  });

  it('reuses credentials until shortly before they expire, then assumes the role again', async () => {
    await submitAndGet(ROLE, 'ref-1');

    clock.advance(50 * MINUTE);
    await submitAndGet(ROLE, 'ref-2');
    expect(fake.state.assumedRoles).toHaveLength(1);

    // Within the renewal margin (5 minutes) of the one-hour lifetime.
    clock.advance(7 * MINUTE);
    await submitAndGet(ROLE, 'ref-3');

    expect(fake.state.assumedRoles).toEqual([ROLE, ROLE]);
    expect(cloudFrontKeys()).toEqual([
      'ASIAFAKE00000001',
      'ASIAFAKE00000001',
      'ASIAFAKE00000001',
      'ASIAFAKE00000001',
      'ASIAFAKE00000002',
      'ASIAFAKE00000002',
    ]);
  });

  it('assumes the role again after expiry', async () => {
    await submitAndGet(ROLE, 'ref-1');
    clock.advance(2 * 60 * MINUTE);
    await submitAndGet(ROLE, 'ref-2');

    expect(fake.state.assumedRoles).toEqual([ROLE, ROLE]);
    expect(cloudFrontKeys().at(-1)).toBe('ASIAFAKE00000002');
  });
});

describe('AssumeRole failures', () => {
  it('maps AccessDenied to a permanent error naming sts:AssumeRole and the role, without calling CloudFront', async () => {
    fake.inject({ operation: 'AssumeRole', code: 'AccessDenied' });

    const result = await gateway.submit({ distributionId: DIST, roleArn: ROLE }, 'ref-denied', ['/a']);

    expect(result).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'AccessDenied' } });
    if (result.ok) return;
    expect(result.error.message).toContain('sts:AssumeRole');
    expect(result.error.message).toContain(ROLE);
    expect(fake.state.callsOf('CreateInvalidation')).toHaveLength(0);
  });

  it.each([
    { code: 'Throttling', status: 400 },
    { code: 'ServiceUnavailable', status: 503 },
  ])('maps $code to a transient error, and a later call assumes the role', async ({ code, status }) => {
    fake.inject({ operation: 'AssumeRole', code, status, times: 2 });

    const failed = await gateway.submit({ distributionId: DIST, roleArn: ROLE }, 'ref-t', ['/a']);
    const retried = await gateway.submit({ distributionId: DIST, roleArn: ROLE }, 'ref-t', ['/a']);

    expect(failed).toMatchObject({ ok: false, error: { kind: 'transient', code } });
    expect(retried.ok).toBe(true);
    expect(fake.state.assumedRoles).toEqual([ROLE]);
  });

  it('maps an unreachable STS to a transient NetworkError', async () => {
    const offline = createCloudFrontGateway({
      endpoint: fake.endpoint,
      stsEndpoint: 'http://127.0.0.1:1',
      credentials,
      clock,
    });

    const result = await offline.submit({ distributionId: DIST, roleArn: ROLE }, 'ref-n', ['/a']);

    expect(result).toMatchObject({ ok: false, error: { kind: 'transient', code: 'NetworkError' } });
    if (result.ok) return;
    expect(result.error.message).toContain('AWS STS');
  });
});
