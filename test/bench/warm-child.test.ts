import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFlags } from '../../bench/as-deployed';
import { deployedNodeOptions } from '../../bench/cold';
import { inOwnProcess } from '../../bench/warm';
import type { ApiGatewayV2Event } from '../support/slack-requests';

/**
 * The bench's second warm measurement runs the bundle in a child process (bench/warm-child.cjs).
 * A stand-in bundle shows what comes back: one sample per request after the warm-up, its own
 * answers counted, its log lines counted, and nothing of the parent's (tsx) loaded in it.
 */

const ROOT = resolve(__dirname, '../..');

function bundle(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'warm-child-'));
  const file = join(dir, 'bundle.js');
  writeFileSync(file, source);
  return file;
}

const events = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ rawPath: `/slack/events/${i}` }) as unknown as ApiGatewayV2Event);

describe('timing the bundle in a process of its own', () => {
  it('times every request after the warm-up, and counts non-200 answers and logged errors', async () => {
    const file = bundle(`
      let calls = 0;
      exports.handler = async (event) => {
        calls++;
        // Busy for a moment, so own CPU is measurable; every third answer fails.
        const until = Date.now() + 2;
        while (Date.now() < until) {}
        if (calls % 3 === 0) console.log(JSON.stringify({ level: 'error', message: 'boom' }));
        if (calls === 2) console.log(JSON.stringify({ level: 'warn', message: 'hm' }));
        return { statusCode: calls % 3 === 0 ? 500 : 200 };
      };
    `);
    const result = await inOwnProcess('stand-in', events(7), {
      root: ROOT,
      bundle: file,
      warmup: 1,
      requests: 6,
    });
    expect(result.ownMs.n).toBe(6);
    expect(result.wallMs.n).toBe(6);
    expect(result.ownMs.p50).toBeGreaterThan(0.5);
    // Calls 3 and 6 fail (call 1 is the warm-up and is not counted).
    expect(result.failures).toBe(2);
    // Log lines are counted over the whole run, warm-up included.
    expect(result.loggedErrors).toBe(2);
    expect(result.loggedWarnings).toBe(1);
  });

  it("loads the bundle with the deployed NODE_OPTIONS flags and none of the parent's (no tsx in the child)", async () => {
    const deployed = JSON.stringify(nodeFlags(deployedNodeOptions(ROOT)));
    const file = bundle(`
      exports.handler = async () => {
        const loaded = JSON.stringify(process.execArgv) === ${JSON.stringify(deployed)} &&
          !Object.keys(require.cache).some((k) => k.includes('tsx'));
        return { statusCode: loaded ? 200 : 500 };
      };
    `);
    const result = await inOwnProcess('stand-in', events(2), {
      root: ROOT,
      bundle: file,
      warmup: 0,
      requests: 2,
    });
    expect(result.failures).toBe(0);
  });

  it('says how the child failed when the bundle does not load', async () => {
    const file = bundle('throw new Error("cannot load");');
    await expect(
      inOwnProcess('stand-in', events(1), { root: ROOT, bundle: file, warmup: 0, requests: 1 }),
    ).rejects.toThrow(/warm child exited[\s\S]*cannot load/);
  });
});
