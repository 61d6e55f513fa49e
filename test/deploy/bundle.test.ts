import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRequest } from '../../src/domain/lifecycle';
import { createDynamoRequestStore } from '../../src/store/dynamo-request-store';
import { runBuiltPoller } from '../support/built-poller';
import { type CloudFrontFake, startCloudFrontFake } from '../support/cloudfront-fake';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { distributionConfig } from '../support/request-fixtures';
import { type SlackFake, startSlackFake } from '../support/slack-fake';
import { signedEvent, slashCommand, urlVerification } from '../support/slack-requests';

/**
 * The bundle Lambda runs, not the sources: built with the same script and its
 * shims, loaded by plain node from a directory without node_modules, answering
 * a signed request.
 */

const ROOT = resolve(__dirname, '../..');
const SECRET = 'bundle-test-secret';
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'bundle-'));
  execFileSync(
    'node',
    ['scripts/build.mjs', '--outdir', outdir, 'slack=src/handlers/slack.ts', 'poller=src/handlers/poller.ts'],
    { cwd: ROOT },
  );
});

function invoke(event: unknown): { statusCode: number; body: string; headers: Record<string, string> } {
  const runner = join(outdir, 'invoke.cjs');
  writeFileSync(
    runner,
    `const { handler } = require('./slack.js');
     let input = '';
     process.stdin.on('data', (d) => (input += d));
     process.stdin.on('end', async () => {
       const res = await handler(JSON.parse(input), {});
       process.stdout.write('\\n' + JSON.stringify({ statusCode: res.statusCode, body: res.body, headers: res.headers }));
     });`,
  );
  const config = {
    approvalChannel: 'C0APPROVALS',
    distributions: [{ alias: 'www', id: 'E2QWRUHAPOMQZL', approvers: ['U0BOB0001'], requiredApprovals: 1 }],
  };
  const result = spawnSync('node', [runner], {
    cwd: outdir,
    input: JSON.stringify(event),
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-bundle',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      TABLE_NAME: 'unused',
      BOT_CONFIG: JSON.stringify(config),
    },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`bundle failed: ${result.stderr}`);
  // The bot's JSON log lines (Bolt's included) come first; the response is the last line.
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as ReturnType<typeof invoke>;
}

describe('dist/slack.js', () => {
  it('answers a signed slash command (form body, base64 as API Gateway sends it) with the shims in place', () => {
    const event = signedEvent(slashCommand({ text: 'help', userId: 'U0ALICE01', channelId: 'C0DEV' }), {
      secret: SECRET,
    });
    const res = invoke(event);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('www');
    expect(JSON.parse(res.body).response_type).toBe('ephemeral');
  });

  it("answers Slack's URL verification as JSON, written with writeHead as Bolt's HTTPReceiver does", () => {
    const res = invoke(signedEvent(urlVerification('bundle-challenge'), { secret: SECRET }));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: 'bundle-challenge' });
    expect(res.headers['content-type']).toBe('application/json');
  });

  it("answers Slack's ssl_check, which Slack does not sign, with an empty 200", () => {
    const event = signedEvent('ssl_check=1&token=x', { secret: SECRET });
    delete event.headers['x-slack-signature'];
    delete event.headers['x-slack-request-timestamp'];
    const res = invoke(event);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
  });

  it('answers 404 on any other route, and on a GET of its own', () => {
    const command = slashCommand({ text: 'help', userId: 'U0ALICE01', channelId: 'C0DEV' });
    expect(invoke(signedEvent(command, { secret: SECRET, path: '/slack/other' })).statusCode).toBe(404);
    const get = signedEvent(command, { secret: SECRET });
    get.requestContext.http.method = 'GET';
    get.routeKey = 'GET /slack/events';
    expect(invoke(get).statusCode).toBe(404);
  });

  it('refuses a body over 4 MB with 413, and one without a timestamp with 401', () => {
    const big = `payload=${'x'.repeat(4 * 1024 * 1024)}`;
    expect(invoke(signedEvent(big, { secret: SECRET })).statusCode).toBe(413);
    const command = slashCommand({ text: 'help', userId: 'U0ALICE01', channelId: 'C0DEV' });
    const unstamped = signedEvent(command, { secret: SECRET, headers: { 'x-slack-request-timestamp': '' } });
    expect(invoke(unstamped).statusCode).toBe(401);
  });

  it('rejects a forged signature with 401', () => {
    const event = signedEvent(slashCommand({ text: 'help', userId: 'U0ALICE01', channelId: 'C0DEV' }), {
      secret: SECRET,
      wrongSecret: true,
    });
    expect(invoke(event).statusCode).toBe(401);
  });

  it('carries neither express nor mime-db: the handler answers Slack without them (scripts/lambda-shims/express.cjs)', () => {
    const code = readFileSync(join(outdir, 'slack.js'), 'utf8');
    // Each marker is a string of the package's own sources (checked first), so the check cannot go stale.
    const markers = {
      'node_modules/express/lib/response.js': 'Content-Type cannot be set to an Array',
      'node_modules/mime-db/db.json': 'application/x-7z-compressed',
      'node_modules/body-parser/lib/types/urlencoded.js': 'parameterLimit must be a positive number',
    };
    for (const [source, marker] of Object.entries(markers)) {
      expect(readFileSync(join(ROOT, source), 'utf8')).toContain(marker);
      expect(code.includes(marker), `"${marker}" (${source}) is inside slack.js`).toBe(false);
    }
  });

  it("leaves out zod's locales: every module imports zod as a namespace, which esbuild tree-shakes", () => {
    // One `import { z } from 'zod'` anywhere bundles zod's whole namespace instead (every locale
    // and the JSON Schema code: ~370 KB, about 12 ms of each cold start). German is one of them.
    const code = readFileSync(join(outdir, 'slack.js'), 'utf8');
    expect(code.includes('Eingabe: erwartet'), "zod's German locale is in the bundle").toBe(false);
  });
});

describe('what each bundle carries', () => {
  // A static import of the store or the gateway anywhere in a handler's graph would bring its AWS
  // client back into the bundle, and every cold start would parse it again (scripts/build.mjs).
  const markers = {
    'DynamoDB client': 'DynamoDB_20120810',
    'CloudFront client': 'cloudfront.amazonaws.com/doc',
    'STS client': 'AssumeRoleResponse',
  };
  it.each(['slack.js', 'poller.js'])('%s loads the AWS clients from their own files', (bundle) => {
    const code = readFileSync(join(outdir, bundle), 'utf8');
    for (const [client, marker] of Object.entries(markers)) {
      expect(code.includes(marker), `${client} is inside ${bundle}`).toBe(false);
    }
    expect(code).toContain('require("./dynamodb.js")');
    expect(code).toContain('require("./cloudfront.js")');
  });

  // Each marker is a string of the dev tooling's own sources (checked below), so the check cannot go stale.
  const devMarkers = {
    'src/dev/playground/index.ts': 'xoxb-playground-local',
    'src/dev/playground/block-kit-html.ts': 'Not drawn by the playground',
    'src/dev/playground/server.ts': '/playground.js',
    'src/dev/socket-mode-check.ts': 'SlackUnreachableError',
  };
  it.each(['slack.js', 'poller.js'])('%s carries nothing of the dev playground', (bundle) => {
    const code = readFileSync(join(outdir, bundle), 'utf8');
    for (const [source, marker] of Object.entries(devMarkers)) {
      expect(readFileSync(join(ROOT, source), 'utf8')).toContain(marker);
      expect(code.includes(marker), `"${marker}" (${source}) is inside ${bundle}`).toBe(false);
    }
  });

  it('ships the AWS clients beside the handlers, zod and our store logic staying in the handlers', () => {
    const dynamodb = readFileSync(join(outdir, 'dynamodb.js'), 'utf8');
    expect(dynamodb).toContain(markers['DynamoDB client']);
    // zod's error map: the codecs that validate stored items must not be parsed twice.
    expect(dynamodb).not.toContain('Invalid input: expected');
    const gateway = readFileSync(join(outdir, 'cloudfront.js'), 'utf8');
    expect(gateway).toContain(markers['CloudFront client']);
    expect(gateway).toContain(markers['STS client']);
  });
});

describe('AWS credentials in the bundles', () => {
  // Lambda gives a function its role's credentials in the environment; the bundles read only
  // those (scripts/lambda-shims/credential-provider-node.mjs), not the SDK's whole default chain.
  it.each(['slack.js', 'poller.js'])('%s carries no SSO, ini-file or web-identity provider', (bundle) => {
    const code = readFileSync(join(outdir, bundle), 'utf8');
    expect(code).not.toContain('defaultProvider::fromSSO');
    expect(code).not.toContain('defaultProvider::fromIni');
    expect(code).not.toContain('defaultProvider::fromTokenFile');
  });

  it('the shim resolves the credentials Lambda sets, and fails clearly when there are none', async () => {
    const shim = await import('../../scripts/lambda-shims/credential-provider-node.mjs');
    const saved = { ...process.env };
    try {
      process.env.AWS_ACCESS_KEY_ID = 'ASIASHIMTEST';
      process.env.AWS_SECRET_ACCESS_KEY = 'secret';
      process.env.AWS_SESSION_TOKEN = 'session';
      await expect(shim.defaultProvider()()).resolves.toMatchObject({
        accessKeyId: 'ASIASHIMTEST',
        sessionToken: 'session',
      });
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      await expect(shim.defaultProvider()()).rejects.toThrow(/environment variable credentials/i);
    } finally {
      process.env = saved;
    }
  });
});

describe('dist/poller.js with its CloudFront gateway in dist/cloudfront.js', () => {
  let db: LocalDynamo;
  let cloudfront: CloudFrontFake;
  let slack: SlackFake;

  beforeAll(async () => {
    [db, cloudfront, slack] = await Promise.all([startDynalite(), startCloudFrontFake(), startSlackFake()]);
  });

  afterAll(async () => {
    await Promise.allSettled([db?.stop(), cloudfront?.stop(), slack?.close()]);
  });

  it('submits an approved request, loading the gateway on first use and signing with Lambda-style credentials', async () => {
    const distribution = distributionConfig({ approvers: ['U0BOB0001'], requiredApprovals: 0 });
    // No approvals needed: the request is stored APPROVED, due for submission.
    const { request, event } = newRequest({
      id: '01JBUNDLE0000000000000TEST',
      distribution,
      channel: 'C0APPROVALS',
      requesterId: 'U0ALICE01',
      reason: 'bundle test',
      paths: ['/index.html'],
      wildcardCount: 0,
      now: new Date(),
      expiryMinutes: 60,
      dryRun: false,
    });
    const store = createDynamoRequestStore({ client: db.client, tableName: db.tableName });
    await store.create(request, event, `bundle-${request.id}`);

    const run = await runBuiltPoller({
      outdir,
      db,
      cloudfront,
      slack,
      accessKeyId: 'ASIABUNDLETEST',
      config: { approvalChannel: 'C0APPROVALS', distributions: [distribution] },
    });
    expect(run).toMatchObject({ rounds: 1, due: 1 });
    const created = cloudfront.state.calls.filter((c) => c.operation === 'CreateInvalidation');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      status: 201,
      callerReference: request.id,
      accessKeyId: 'ASIABUNDLETEST',
    });
    expect((await store.get(request.id))?.status).toBe('SUBMITTED');
  });
});
