import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingFlags, nodeFlags } from '../../bench/as-deployed';
import { deployedNodeMajor, deployedNodeOptions } from '../../bench/cold';

/** `npm run bench` measures on the Node that Lambda runs, as serverless.yml deploys it. */

const ROOT = resolve(__dirname, '../..');

function manifestIn(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'runtime-'));
  writeFileSync(join(dir, 'serverless.yml'), text);
  return dir;
}

describe('the deployed Node major', () => {
  it("is read from the provider's runtime", () => {
    expect(deployedNodeMajor(manifestIn('provider:\n  name: aws\n  runtime: nodejs22.x\n'))).toBe(22);
  });

  it('is an error, not a guess, when serverless.yml names none', () => {
    expect(() => deployedNodeMajor(manifestIn('provider:\n  name: aws\n'))).toThrow(/no nodejsNN\.x runtime/);
  });

  it("is the one the bench script runs on: bumping the runtime without the bench's Node fails here", () => {
    const major = deployedNodeMajor(ROOT);
    const bench = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { bench: string } }
    ).scripts.bench;
    expect(bench).toContain(`scripts/node${major}.sh`);
    expect(readFileSync(join(ROOT, `scripts/node${major}.sh`), 'utf8')).toContain(`'^v${major}\\.'`);
  });
});

describe('the flags the bench runs with, as deployed', () => {
  it('are the NODE_OPTIONS flags the process lacks, in their deployed order', () => {
    expect(missingFlags('--enable-source-maps  --max-semi-space-size=4', ['--import', 'tsx'])).toEqual([
      '--enable-source-maps',
      '--max-semi-space-size=4',
    ]);
    expect(missingFlags('--enable-source-maps --max-semi-space-size=4', ['--max-semi-space-size=4'])).toEqual(
      ['--enable-source-maps'],
    );
    // A different value of a flag is not the deployed one.
    expect(missingFlags('--max-semi-space-size=4', ['--max-semi-space-size=16'])).toEqual([
      '--max-semi-space-size=4',
    ]);
    expect(missingFlags('', ['--import', 'tsx'])).toEqual([]);
  });

  it("are read from serverless.yml's NODE_OPTIONS", () => {
    const dir = manifestIn(
      'provider:\n  environment:\n    NODE_OPTIONS: --enable-source-maps --max-semi-space-size=4 # why\n',
    );
    expect(nodeFlags(deployedNodeOptions(dir))).toEqual(['--enable-source-maps', '--max-semi-space-size=4']);
  });
});
