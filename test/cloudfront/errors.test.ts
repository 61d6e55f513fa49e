import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DistributionTarget, GatewayResult, InvalidationInfo } from '../../src/app/ports';
import type { CloudFrontGateway } from '../../src/cloudfront/gateway';
import { type CloudFrontFake, type FakeOperation, startCloudFrontFake } from '../support/cloudfront-fake';
import { gatewayToFake, ROLE_ARN } from '../support/gateway-to-fake';

const DIST = 'E2QWRUHAPOMQZL';

let fake: CloudFrontFake;
let gateway: CloudFrontGateway;

beforeEach(async () => {
  fake = await startCloudFrontFake({ distributions: [DIST] });
  gateway = gatewayToFake(fake);
});

afterEach(async () => {
  await fake.stop();
});

type Call = 'submit' | 'get';

async function run(call: Call, target: DistributionTarget): Promise<GatewayResult<InvalidationInfo>> {
  if (call === 'submit') return gateway.submit(target, 'ref-1', ['/index.html']);
  const created = await gateway.submit(target, 'ref-1', ['/index.html']);
  if (!created.ok) throw new Error(created.error.message);
  return gateway.get(target, created.value.invalidationId);
}

const OPERATION: Record<Call, FakeOperation> = { submit: 'CreateInvalidation', get: 'GetInvalidation' };

describe('injected CloudFront errors', () => {
  const cases: {
    name: string;
    call: Call;
    code: string;
    status?: number;
    kind: 'transient' | 'permanent';
    /** Calls the SDK makes: transient errors it retries once (maxAttempts 2), others not at all. */
    attempts: number;
    message: RegExp[];
  }[] = [
    {
      name: 'Throttling',
      call: 'submit',
      code: 'Throttling',
      kind: 'transient',
      attempts: 2,
      message: [/throttling/i, /retry/],
    },
    {
      name: 'ThrottlingException on get',
      call: 'get',
      code: 'ThrottlingException',
      kind: 'transient',
      attempts: 2,
      message: [/retry/],
    },
    {
      name: '503 ServiceUnavailable',
      call: 'submit',
      code: 'ServiceUnavailable',
      kind: 'transient',
      attempts: 2,
      message: [/temporarily unavailable/, /HTTP 503/, /retry/],
    },
    {
      name: '500 InternalError on get',
      call: 'get',
      code: 'InternalError',
      kind: 'transient',
      attempts: 2,
      message: [/HTTP 500/],
    },
    {
      name: 'TooManyInvalidationsInProgress',
      call: 'submit',
      code: 'TooManyInvalidationsInProgress',
      kind: 'transient',
      attempts: 1,
      message: [/maximum number of invalidations in progress/, new RegExp(DIST), /queued/],
    },
    {
      name: 'NoSuchDistribution',
      call: 'submit',
      code: 'NoSuchDistribution',
      kind: 'permanent',
      attempts: 1,
      message: [/distribution id in the bot config/],
    },
    {
      name: 'InvalidArgument',
      call: 'submit',
      code: 'InvalidArgument',
      kind: 'permanent',
      attempts: 1,
      message: [/invalid/, /fake: injected InvalidArgument/],
    },
    {
      name: 'BatchTooLarge',
      call: 'submit',
      code: 'BatchTooLarge',
      kind: 'permanent',
      attempts: 1,
      message: [/Split it/],
    },
    {
      name: 'MissingBody',
      call: 'submit',
      code: 'MissingBody',
      kind: 'permanent',
      attempts: 1,
      message: [/bug in the bot/],
    },
    {
      name: 'unknown 4xx',
      call: 'submit',
      code: 'SomethingNew',
      status: 400,
      kind: 'permanent',
      attempts: 1,
      message: [/SomethingNew/, /HTTP 400/],
    },
  ];

  it.each(cases)('$name → $kind', async ({ call, code, status, kind, attempts, message }) => {
    fake.inject({ operation: OPERATION[call], code, status, times: 5 });

    const result = await run(call, { distributionId: DIST });

    expect(result).toMatchObject({ ok: false, error: { kind, code } });
    if (result.ok) return;
    for (const pattern of message) expect(result.error.message).toMatch(pattern);
    expect(fake.state.callsOf(OPERATION[call]).filter((c) => c.errorCode === code)).toHaveLength(attempts);
  });

  it('absorbs a single transient blip within the call', async () => {
    fake.inject({ operation: 'CreateInvalidation', code: 'ServiceUnavailable', times: 1 });

    const result = await gateway.submit({ distributionId: DIST }, 'ref-blip', ['/a']);

    expect(result.ok).toBe(true);
    expect(fake.state.callsOf('CreateInvalidation').map((c) => c.status)).toEqual([503, 201]);
  });
});

describe('AccessDenied', () => {
  // In Lambda (which sets this), the bot's own credentials are its execution role.
  beforeEach(() => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'cloudfront-invalidation-bot-slack');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("on a laptop names the shell's AWS credentials, not a Lambda role", async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', '');
    fake.inject({ operation: 'CreateInvalidation', code: 'AccessDenied' });

    const result = await run('submit', { distributionId: DIST });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain('the AWS credentials this process runs with (AWS_PROFILE');
    expect(result.error.message).not.toContain('Lambda');
  });

  const cases = [
    {
      name: 'submit with a role',
      call: 'submit' as const,
      roleArn: ROLE_ARN,
      expected: [
        'cloudfront:CreateInvalidation',
        `arn:aws:cloudfront::123456789012:distribution/${DIST}`,
        `role ${ROLE_ARN}`,
      ],
    },
    {
      name: 'get with a role',
      call: 'get' as const,
      roleArn: ROLE_ARN,
      expected: [
        'cloudfront:GetInvalidation',
        `arn:aws:cloudfront::123456789012:distribution/${DIST}`,
        ROLE_ARN,
      ],
    },
    {
      name: 'submit without a role',
      call: 'submit' as const,
      roleArn: undefined,
      expected: [
        'cloudfront:CreateInvalidation',
        `arn:aws:cloudfront::<account-id>:distribution/${DIST}`,
        "the bot's Lambda execution role",
      ],
    },
  ];

  it.each(cases)(
    '$name names the IAM action, the distribution ARN and the role',
    async ({ call, roleArn, expected }) => {
      fake.inject({ operation: OPERATION[call], code: 'AccessDenied' });

      const result = await run(call, { distributionId: DIST, roleArn });

      expect(result).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'AccessDenied' } });
      if (result.ok) return;
      for (const text of expected) expect(result.error.message).toContain(text);
    },
  );
});

describe('network errors', () => {
  it('maps an unreachable CloudFront to a transient NetworkError', async () => {
    await fake.stop();

    const result = await gateway.submit({ distributionId: DIST }, 'ref-down', ['/a']);

    expect(result).toMatchObject({ ok: false, error: { kind: 'transient', code: 'NetworkError' } });
    if (result.ok) return;
    expect(result.error.message).toMatch(/Could not reach CloudFront \(ECONNREFUSED\)/);
    fake = await startCloudFrontFake();
  });

  it('maps a dropped connection to a transient NetworkError', async () => {
    fake.inject({ operation: 'GetInvalidation', code: 'NetworkError', times: 5 });

    const result = await gateway.get({ distributionId: DIST }, 'IANY');

    expect(result).toMatchObject({ ok: false, error: { kind: 'transient', code: 'NetworkError' } });
  });

  it('maps a failed listing page to an error, not a partial list', async () => {
    fake.state.seedDistributions(150);
    fake.inject({ operation: 'ListDistributions', code: 'AccessDenied' });

    const result = await gateway.listDistributions();

    expect(result).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'AccessDenied' } });
    if (result.ok) return;
    expect(result.error.message).toContain('cloudfront:ListDistributions');
  });
});
