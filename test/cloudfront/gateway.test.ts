import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CloudFrontGateway } from '../../src/cloudfront/gateway';
import { type CloudFrontFake, startCloudFrontFake } from '../support/cloudfront-fake';
import { gatewayToFake } from '../support/gateway-to-fake';

const DIST = 'E2QWRUHAPOMQZL';
const target = { distributionId: DIST };

let fake: CloudFrontFake;
let gateway: CloudFrontGateway;

beforeEach(async () => {
  fake = await startCloudFrontFake({ distributions: [DIST], completeAfterChecks: 1 });
  gateway = gatewayToFake(fake);
});

afterEach(async () => {
  await fake.stop();
});

describe('submit (CreateInvalidation)', () => {
  it('creates an invalidation with the request id as CallerReference', async () => {
    const result = await gateway.submit(target, '01HREQUEST0001', ['/index.html', '/css/*']);

    if (!result.ok) throw new Error(result.error.message);
    const stored = fake.state.invalidations.get(result.value.invalidationId);
    expect(stored).toMatchObject({
      distributionId: DIST,
      callerReference: '01HREQUEST0001',
      paths: ['/index.html', '/css/*'],
    });
    expect(result.value.status).toBe('InProgress');
    expect(result.value.createTime).toBe(stored?.createTime.toISOString());
    expect(fake.state.callsOf('CreateInvalidation')).toHaveLength(1);
    expect(fake.state.callsOf('CreateInvalidation')[0]?.accessKeyId).toBe('AKIDBASE');
  });

  it('sends paths that need XML escaping intact', async () => {
    const paths = ['/a&b.html', '/q<1>.txt', '/%E2%9C%93.png'];
    const result = await gateway.submit(target, 'ref-escape', paths);

    expect(result.ok).toBe(true);
    expect(fake.state.callsOf('CreateInvalidation')[0]?.paths).toEqual(paths);
  });

  it('returns the existing invalidation when the same reference comes again with the same paths', async () => {
    const first = await gateway.submit(target, 'ref-retry', ['/a', '/b']);
    const again = await gateway.submit(target, 'ref-retry', ['/a', '/b']);

    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.value.invalidationId).toBe(first.value.invalidationId);
    expect(fake.state.invalidations.size).toBe(1);
  });

  it('fails permanently when the same reference comes with other paths', async () => {
    await gateway.submit(target, 'ref-reused', ['/a']);
    const result = await gateway.submit(target, 'ref-reused', ['/other']);

    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'permanent', code: 'InvalidationBatchAlreadyExists' },
    });
    if (result.ok) return;
    expect(result.error.message).toContain('ref-reused');
    expect(result.error.message).toMatch(/different paths/);
    expect(fake.state.invalidations.size).toBe(1);
  });

  it('fails permanently for an unknown distribution, pointing at the bot config', async () => {
    const result = await gateway.submit({ distributionId: 'EUNKNOWN000' }, 'ref-x', ['/a']);

    expect(result).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'NoSuchDistribution' } });
    if (result.ok) return;
    expect(result.error.message).toContain('EUNKNOWN000');
    expect(result.error.message).toMatch(/distribution id in the bot config/);
  });
});

describe('get (GetInvalidation)', () => {
  it('reports InProgress until CloudFront completes, then Completed', async () => {
    fake.state.completeAfterChecks = 2;
    const submitted = await gateway.submit(target, 'ref-poll', ['/a']);
    if (!submitted.ok) throw new Error(submitted.error.message);
    const id = submitted.value.invalidationId;

    const statuses: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await gateway.get(target, id);
      if (!result.ok) throw new Error(result.error.message);
      expect(result.value.invalidationId).toBe(id);
      statuses.push(result.value.status);
    }

    expect(statuses).toEqual(['InProgress', 'InProgress', 'Completed']);
  });

  it('reports Completed once the fake is told so', async () => {
    fake.state.completeAfterChecks = 100;
    const submitted = await gateway.submit(target, 'ref-explicit', ['/a']);
    if (!submitted.ok) throw new Error(submitted.error.message);

    fake.state.complete(submitted.value.invalidationId);
    const result = await gateway.get(target, submitted.value.invalidationId);

    expect(result).toMatchObject({ ok: true, value: { status: 'Completed' } });
  });

  it('fails permanently for an unknown invalidation', async () => {
    const result = await gateway.get(target, 'INOSUCH');

    expect(result).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'NoSuchInvalidation' } });
  });
});

describe('listDistributions', () => {
  it('follows NextMarker across pages', async () => {
    const seeded = fake.state.seedDistributions(250);

    const result = await gateway.listDistributions();

    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.map((d) => d.id)).toEqual([DIST, ...seeded]);
    expect(fake.state.callsOf('ListDistributions').map((c) => c.marker)).toEqual([
      '',
      seeded[98],
      seeded[198],
    ]);
    const last = result.value[250];
    const stored = fake.state.distributions.get(seeded[249] ?? '');
    expect(last).toEqual({
      id: stored?.id,
      aliases: stored?.aliases,
      comment: stored?.comment,
      domainName: stored?.domainName,
      status: stored?.status,
    });
  });

  it('returns aliases, comment and domain name of each distribution', async () => {
    const added = fake.state.addDistribution({
      id: 'EWWW0000001',
      aliases: ['www.example.com', 'example.com'],
      comment: 'Public website',
      status: 'InProgress',
    });

    const result = await gateway.listDistributions();

    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.find((d) => d.id === added.id)).toEqual(added);
  });
});
