import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const buildScript = path.join(root, 'scripts/build.mjs');

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function build(args: string[]): Promise<RunResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [buildScript, ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('scripts/build.mjs', () => {
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'build-test-'));
    // A TypeScript entry with an ES import, so the output proves bundling and the CJS conversion.
    writeFileSync(
      path.join(work, 'greeting.ts'),
      "export const greeting = (name: string): string => ['hi', name].join(' ');\n",
    );
    writeFileSync(
      path.join(work, 'tiny.ts'),
      "import { greeting } from './greeting';\nexport const handler = async (event: { name: string }) => greeting(event.name);\n",
    );
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('bundles an entry into a minified CommonJS file exporting handler, with a linked source map', async () => {
    const outdir = path.join(work, 'dist');
    const result = await build(['--outdir', outdir, `tiny=${path.join(work, 'tiny.ts')}`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The size report names the bundle.
    expect(result.stdout).toMatch(/tiny\.js\s+[\d.]+ (KiB|MiB)/);

    const bundle = path.join(outdir, 'tiny.js');
    const code = readFileSync(bundle, 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toContain('./greeting');
    expect(code.trimEnd()).toMatch(/\/\/# sourceMappingURL=tiny\.js\.map$/);
    // Minified: the bundle is a couple of lines, not one per source line plus esbuild's comments.
    expect(code.trimEnd().split('\n').length).toBeLessThanOrEqual(3);
    const map = JSON.parse(readFileSync(path.join(outdir, 'tiny.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith('greeting.ts'))).toBe(true);

    const { stdout } = await run(process.execPath, [
      '-e',
      `require(${JSON.stringify(bundle)}).handler({ name: 'ops' }).then((v) => console.log(v))`,
    ]);
    expect(stdout.trim()).toBe('hi ops');
  });

  it('fails, naming the entry, when an entry file is missing', async () => {
    const outdir = path.join(work, 'missing-dist');
    const missing = path.join(work, 'nowhere.ts');
    const result = await build([
      '--outdir',
      outdir,
      `tiny=${path.join(work, 'tiny.ts')}`,
      `ghost=${missing}`,
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('"ghost"');
    expect(result.stderr).toContain(missing);
    // Nothing is built when any entry is missing: no half-updated dist/.
    expect(existsSync(path.join(outdir, 'tiny.js'))).toBe(false);
  });

  it('rejects an argument it does not understand', async () => {
    const result = await build(['--out', path.join(work, 'x')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('unknown argument "--out"');
  });
});
