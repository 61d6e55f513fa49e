import { describe, expect, it } from 'vitest';
import type { GatewayResult, InvalidationGateway, InvalidationInfo } from '../../src/app/ports';
import { lazyGateway } from '../../src/handlers/lazy-gateway';

/** A gateway that answers every call with the invalidation id it was built with. */
function answering(invalidationId: string): InvalidationGateway {
  const ok = async (): Promise<GatewayResult<InvalidationInfo>> => ({
    ok: true,
    value: { invalidationId, status: 'InProgress' },
  });
  return { submit: ok, get: ok };
}

const target = { distributionId: 'E2QWRUHAPOMQZL' };

describe('lazyGateway', () => {
  it('loads nothing until the first call, then once for all calls, concurrent ones included', async () => {
    let loads = 0;
    const gateway = lazyGateway(async () => {
      loads++;
      return answering(`I${loads}`);
    });
    expect(loads).toBe(0);
    const results = await Promise.all([
      gateway.submit(target, 'ref-1', ['/a']),
      gateway.get(target, 'I1'),
      gateway.submit(target, 'ref-2', ['/b']),
    ]);
    expect(loads).toBe(1);
    expect(results.map((r) => (r.ok ? r.value.invalidationId : r.error.code))).toEqual(['I1', 'I1', 'I1']);
    await gateway.get(target, 'I1');
    expect(loads).toBe(1);
  });

  it('passes each call through with its arguments', async () => {
    const seen: string[] = [];
    const gateway = lazyGateway(async () => ({
      submit: async (t, ref, paths) => {
        seen.push(`submit ${t.distributionId} ${ref} ${paths.join(',')}`);
        return { ok: true, value: { invalidationId: 'I1', status: 'InProgress' } };
      },
      get: async (t, id) => {
        seen.push(`get ${t.distributionId} ${id}`);
        return { ok: true, value: { invalidationId: id, status: 'Completed' } };
      },
    }));
    await gateway.submit({ distributionId: 'D1', roleArn: 'arn:r' }, 'ref', ['/x', '/y']);
    await gateway.get({ distributionId: 'D2' }, 'I9');
    expect(seen).toEqual(['submit D1 ref /x,/y', 'get D2 I9']);
  });

  it('surfaces a failed load and tries again on the next call', async () => {
    let loads = 0;
    const gateway = lazyGateway(async () => {
      loads++;
      if (loads === 1) throw new Error('Cannot find module ./cloudfront.js');
      return answering('I2');
    });
    await expect(gateway.submit(target, 'ref', ['/a'])).rejects.toThrow('Cannot find module');
    const second = await gateway.submit(target, 'ref', ['/a']);
    expect(second.ok && second.value.invalidationId).toBe('I2');
    expect(loads).toBe(2);
  });
});
