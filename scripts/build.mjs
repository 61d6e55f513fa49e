#!/usr/bin/env node
// Bundles the Lambda entry points into dist/<name>.js: one self-contained CommonJS file per
// function (AWS SDK included, so the deployed code never depends on the SDK version Lambda
// happens to ship), minified, with an external source map. Modules a handler loads on first
// use (lazyModules below) get a file of their own beside it, built the same way.
//
// Usage:
//   node scripts/build.mjs                                   # the two Lambda handlers
//   node scripts/build.mjs --outdir DIR name=path/to/entry.ts …  # any entries (used by the tests)
//   node scripts/build.mjs --with-express …                      # keeps express (the bench's bare Bolt app)
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const defaultEntries = {
  slack: 'src/handlers/slack.ts',
  poller: 'src/handlers/poller.ts',
};

function parseArgs(argv) {
  let outdir = path.join(root, 'dist');
  let withExpress = false;
  const entries = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--outdir') {
      const value = argv[++i];
      if (!value) throw new Error('--outdir needs a directory');
      outdir = path.resolve(value);
    } else if (arg === '--with-express') {
      withExpress = true;
    } else if (/^[\w-]+=.+/.test(arg)) {
      const at = arg.indexOf('=');
      entries[arg.slice(0, at)] = arg.slice(at + 1);
    } else {
      throw new Error(
        `unknown argument "${arg}" (expected --outdir DIR, --with-express or name=path/to/entry.ts)`,
      );
    }
  }
  return { outdir, withExpress, entries: Object.keys(entries).length > 0 ? entries : defaultEntries };
}

// Modules loaded on first use with `import()`: the AWS SDK clients (src/store/dynamo-access.ts,
// src/handlers/wiring.ts). Each becomes a file of its own next to the bundles, so a cold start
// only parses the clients its request needs: opening the modal, help and the type-ahead need
// none. The DynamoDB client is about 25 ms of a cold start, the CloudFront and STS clients 17 ms.
const lazyModules = [
  { name: 'dynamodb', entry: 'src/store/dynamodb-sdk.ts', importedAs: /^\.\/dynamodb-sdk$/ },
  { name: 'cloudfront', entry: 'src/cloudfront/gateway.ts', importedAs: /^\.\.\/cloudfront\/gateway$/ },
  { name: 'lambda', entry: 'src/worker/lambda-sdk.ts', importedAs: /^\.\/lambda-sdk$/ },
];

/** Marks each lazy module's dynamic import external, pointing at its own file; records which were used. */
function splitLazyModules(used) {
  return {
    name: 'split-lazy-modules',
    setup(b) {
      for (const lazy of lazyModules) {
        b.onResolve({ filter: lazy.importedAs }, (args) => {
          // A static import keeps the module in the bundle.
          if (args.kind !== 'dynamic-import') return undefined;
          used.add(lazy);
          return { path: `./${lazy.name}.js`, external: true };
        });
      }
    },
  };
}

function formatSize(bytes) {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(2)} MiB`
    : `${(bytes / 1024).toFixed(1)} KiB`;
}

async function main() {
  const { outdir, withExpress, entries } = parseArgs(process.argv.slice(2));

  // Check every entry first, so a missing handler is named instead of buried in esbuild's output.
  const missing = Object.entries(entries).filter(([, entry]) => !existsSync(path.resolve(root, entry)));
  if (missing.length > 0) {
    for (const [name, entry] of missing) console.error(`build: entry "${name}" not found: ${entry}`);
    process.exit(1);
  }

  const usedLazy = new Set();
  const queue = Object.entries(entries);
  const built = new Set();
  while (queue.length > 0) {
    const [name, entry] = queue.shift();
    if (built.has(name)) continue;
    built.add(name);
    const outfile = path.join(outdir, `${name}.js`);
    await build({
      absWorkingDir: root,
      entryPoints: [path.resolve(root, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      // Lazy modules load with require(), not import(): Node's ESM loader costs a cold start ~40 ms more.
      supported: { 'dynamic-import': false },
      format: 'cjs',
      // Prefer the ES module builds of dependencies (the AWS SDK ships both): they tree-shake better.
      mainFields: ['module', 'main'],
      minify: true,
      // Not only for readable logs: bundled code reads constructor names at run time. The AWS
      // SDK matches service exceptions by class name (ServiceException's instanceof fallback) and
      // looks for its NoOpLogger by name; @slack/web-api names its errors after their class.
      // Costs about 5 ms of cold start (a __name call per function at load).
      keepNames: true,
      sourcemap: 'linked',
      // Stack traces only need the mappings; the sources would double the map's size.
      sourcesContent: false,
      legalComments: 'none',
      logLevel: 'warning',
      plugins: [splitLazyModules(usedLazy)],
      // Keeps the bundles lean (see each shim for why it is safe): the Slack bundle is 2.6 MB without them.
      alias: {
        '@slack/socket-mode': path.join(root, 'scripts/lambda-shims/socket-mode.cjs'),
        'iconv-lite': path.join(root, 'scripts/lambda-shims/iconv-lite.cjs'),
        '@slack/oauth': path.join(root, 'scripts/lambda-shims/slack-oauth.cjs'),
        // The handlers answer Slack without express (src/slack/answer-first-receiver.ts); a
        // bundle built on Bolt's ExpressReceiver keeps it, and defers mime-types instead.
        ...(withExpress
          ? { 'mime-types': path.join(root, 'scripts/lambda-shims/mime-types.cjs') }
          : { express: path.join(root, 'scripts/lambda-shims/express.cjs') }),
        '@aws-sdk/credential-provider-node': path.join(
          root,
          'scripts/lambda-shims/credential-provider-node.mjs',
        ),
      },
    });
    const shown = outfile.startsWith(root + path.sep) ? path.relative(root, outfile) : outfile;
    console.log(`${shown}  ${formatSize(statSync(outfile).size)}`);
    // A bundle that loads a lazy module needs its file beside it.
    for (const lazy of usedLazy) queue.push([lazy.name, lazy.entry]);
  }
}

main().catch((error) => {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
