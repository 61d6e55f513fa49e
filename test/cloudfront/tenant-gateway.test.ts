import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CloudFrontGateway } from '../../src/cloudfront/gateway';
import { type CloudFrontFake, startCloudFrontFake, tooManyInvalidations } from '../support/cloudfront-fake';
import { gatewayToFake, ROLE_ARN } from '../support/gateway-to-fake';

const MULTI = 'E3MULTITENANT1';
const TENANT = 'dt_shopA1';
const OTHER_TENANT = 'dt_shopB2';

let fake: CloudFrontFake;
let gateway: CloudFrontGateway;

beforeEach(async () => {
  fake = await startCloudFrontFake({
    distributions: [MULTI],
    tenants: [
      { id: TENANT, distributionId: MULTI },
      { id: OTHER_TENANT, distributionId: MULTI },
    ],
    completeAfterChecks: 1,
  });
  gateway = gatewayToFake(fake);
});

afterEach(async () => {
  await fake.stop();
});

describe('a distribution tenant', () => {
  it('is invalidated with CreateInvalidationForDistributionTenant (Id = tenant id) and followed with GetInvalidationForDistributionTenant', async () => {
    const target = { distributionId: MULTI, tenantId: TENANT };
    const created = await gateway.submit(target, '01HREQTENANT', ['/a', '#product-1']);
    if (!created.ok) throw new Error(created.error.message);

    const [create] = fake.state.callsOf('CreateInvalidationForDistributionTenant');
    expect(create).toMatchObject({
      status: 201,
      tenantId: TENANT,
      callerReference: '01HREQTENANT',
      paths: ['/a', '#product-1'],
    });
    expect(fake.state.callsOf('CreateInvalidation')).toHaveLength(0);

    const first = await gateway.get(target, created.value.invalidationId);
    const second = await gateway.get(target, created.value.invalidationId);
    expect(first).toMatchObject({ ok: true, value: { status: 'InProgress' } });
    expect(second).toMatchObject({ ok: true, value: { status: 'Completed' } });
    expect(
      fake.state.callsOf('GetInvalidationForDistributionTenant').map((c) => [c.tenantId, c.invalidationId]),
    ).toEqual([
      [TENANT, created.value.invalidationId],
      [TENANT, created.value.invalidationId],
    ]);
    expect(fake.state.callsOf('GetInvalidation')).toHaveLength(0);
  });

  it('a retry with the same CallerReference returns the same invalidation; another tenant keeps its own', async () => {
    const a = await gateway.submit({ distributionId: MULTI, tenantId: TENANT }, 'ref-1', ['/x']);
    const again = await gateway.submit({ distributionId: MULTI, tenantId: TENANT }, 'ref-1', ['/x']);
    const b = await gateway.submit({ distributionId: MULTI, tenantId: OTHER_TENANT }, 'ref-1', ['/x']);
    if (!a.ok || !again.ok || !b.ok) throw new Error('expected success');
    expect(again.value.invalidationId).toBe(a.value.invalidationId);
    expect(b.value.invalidationId).not.toBe(a.value.invalidationId);
  });

  it('the plain operation on the tenant-only distribution is refused, which is why tenants need their own', async () => {
    const result = await gateway.submit({ distributionId: MULTI }, 'ref-plain', ['/x']);
    expect(result).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'NoSuchDistribution' } });
  });
});

describe('tenant errors name the tenant', () => {
  it('EntityNotFound for an unknown tenant says to fix the tenantId', async () => {
    const result = await gateway.submit({ distributionId: MULTI, tenantId: 'dt_gone' }, 'ref', ['/x']);
    expect(result).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'EntityNotFound' } });
    if (result.ok) return;
    expect(result.error.message).toContain(`tenant dt_gone of distribution ${MULTI}`);
    expect(result.error.message).toContain('tenantId');
  });

  it('EntityNotFound for an unknown invalidation names the invalidation and the tenant', async () => {
    const result = await gateway.get({ distributionId: MULTI, tenantId: TENANT }, 'INOPE');
    expect(result).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'EntityNotFound' } });
    if (!result.ok) expect(result.error.message).toContain(`invalidation INOPE on tenant ${TENANT}`);
  });

  it.each([
    ['submit', 'CreateInvalidationForDistributionTenant'],
    ['get', 'GetInvalidationForDistributionTenant'],
  ] as const)(
    'AccessDenied on %s names the tenant action, the tenant ARN and the role',
    async (call, operation) => {
      fake.inject({ operation, code: 'AccessDenied' });
      const target = { distributionId: MULTI, tenantId: TENANT, roleArn: ROLE_ARN };
      const result =
        call === 'submit' ? await gateway.submit(target, 'ref', ['/x']) : await gateway.get(target, 'I123');
      expect(result).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'AccessDenied' } });
      if (result.ok) return;
      expect(result.error.message).toContain(`cloudfront:${operation}`);
      expect(result.error.message).toContain(
        `arn:aws:cloudfront::123456789012:distribution-tenant/${TENANT}`,
      );
      expect(result.error.message).toContain(`tenant ${TENANT}`);
      expect(result.error.message).toContain(ROLE_ARN);
    },
  );

  it('TooManyInvalidationsInProgress on a tenant is transient, as for a distribution', async () => {
    fake.inject(tooManyInvalidations(1, 'CreateInvalidationForDistributionTenant'));
    const result = await gateway.submit({ distributionId: MULTI, tenantId: TENANT }, 'ref', ['/x']);
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'transient', code: 'TooManyInvalidationsInProgress' },
    });
  });
});
