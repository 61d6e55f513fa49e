import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signedEvent, slashCommand } from '../support/slack-requests';
import { LOCALHOST_CERT, type SsmFake, startSsmFake } from '../support/ssm-fake';

/**
 * dist/slack.js and dist/poller.js as Lambda runs them: the environment names the two SSM
 * parameters and holds no secret. One process is one container; it gets several invocations.
 */

const ROOT = resolve(__dirname, '../..');
const SECRET = 'secret-read-from-ssm';
const SIGNING_PARAM = '/cloudfront-invalidation-bot/test/slack-signing-secret';
const TOKEN_PARAM = '/cloudfront-invalidation-bot/test/slack-bot-token';
let outdir: string;
let ssm: SsmFake;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'bundle-secrets-'));
  execFileSync(
    'node',
    ['scripts/build.mjs', '--outdir', outdir, 'slack=src/handlers/slack.ts', 'poller=src/handlers/poller.ts'],
    { cwd: ROOT },
  );
  // Invokes the handler once per event, in order, in one process; prints one result line each.
  writeFileSync(
    join(outdir, 'container.cjs'),
    `const { handler } = require('./' + process.argv[2] + '.js');
     const events = JSON.parse(process.env.EVENTS);
     (async () => {
       for (const [i, event] of events.entries()) {
         const res = await handler(event, { awsRequestId: 'lambda-req-' + (i + 1) });
         process.stdout.write('\\nRESULT ' + JSON.stringify(res) + '\\n');
       }
       process.exit(0);
     })().catch((e) => { process.stderr.write(String(e && e.stack)); process.exit(1); });`,
  );
  ssm = await startSsmFake({ [SIGNING_PARAM]: SECRET, [TOKEN_PARAM]: 'xoxb-from-ssm' });
}, 120_000);

afterAll(() => ssm?.stop());
beforeEach(() => {
  ssm.calls.length = 0;
  ssm.setLatency(0);
});

interface Container {
  results: { statusCode?: number; body?: string; rounds?: number }[];
  logs: Record<string, unknown>[];
}

async function runContainer(
  fn: 'slack' | 'poller',
  events: unknown[],
  extraEnv: Record<string, string> = {},
): Promise<Container> {
  const config = {
    approvalChannel: 'C0APPROVALS',
    distributions: [{ alias: 'www', id: 'E2QWRUHAPOMQZL', approvers: ['U0BOB0001'], requiredApprovals: 1 }],
  };
  const { stdout } = await promisify(execFile)('node', [join(outdir, 'container.cjs'), fn], {
    cwd: outdir,
    env: {
      PATH: process.env.PATH ?? '',
      EVENTS: JSON.stringify(events),
      SLACK_SIGNING_SECRET_PARAM: SIGNING_PARAM,
      SLACK_BOT_TOKEN_PARAM: TOKEN_PARAM,
      SSM_ENDPOINT: ssm.endpoint,
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      TABLE_NAME: 'unused',
      // Nothing listens there: a poller run that got its token fails its Query, and says so.
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      POLL_BUDGET_MS: '0',
      BOT_CONFIG: JSON.stringify(config),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'ASIACONTAINER',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session',
      ...extraEnv,
    },
    timeout: 30_000,
  });
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  return {
    results: lines.filter((l) => l.startsWith('RESULT ')).map((l) => JSON.parse(l.slice(7))),
    logs: lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const help = () =>
  signedEvent(slashCommand({ text: 'help', userId: 'U0ALICE01', channelId: 'C0DEV' }), { secret: SECRET });

describe('dist/slack.js with its secrets in SSM', () => {
  it('reads both secrets once per container, in one decrypted GetParameters call, and verifies with them', async () => {
    const { results } = await runContainer('slack', [help(), help(), help()]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(JSON.parse(results[0]?.body ?? '{}').response_type).toBe('ephemeral');
    expect(ssm.calls).toHaveLength(1);
    expect(ssm.calls[0]).toMatchObject({
      target: 'AmazonSSM.GetParameters',
      names: [SIGNING_PARAM, TOKEN_PARAM],
      withDecryption: true,
      accessKeyId: 'ASIACONTAINER',
      status: 200,
    });
  });

  it('answers 503 while SSM fails, logs why with the Lambda request id, and reads again on the next request', async () => {
    ssm.inject({ code: 'AccessDeniedException' });
    const { results, logs } = await runContainer('slack', [help(), help()]);
    // The first invocation waits for the read the container started; the second reads again.
    expect(results.map((r) => r.statusCode)).toEqual([503, 200]);
    expect(ssm.calls.map((c) => c.status)).toEqual([400, 200]);
    const failure = logs.find((l) => l.message === 'Slack secrets could not be read from SSM');
    expect(failure).toMatchObject({
      level: 'error',
      role: 'slack',
      awsRequestId: 'lambda-req-1',
      error: { name: 'SsmError', message: expect.stringContaining('AccessDeniedException') },
    });
    expect(String((failure?.error as { stack?: string } | undefined)?.stack)).toContain('SsmError');
  });

  it('gives up on an SSM that does not answer at the read deadline, answers 503, and reads again next time', async () => {
    // Longer than the read's 2 s deadline, once: the fake answers after the caller gave up.
    ssm.setLatency(4_000, 1);
    const { results, logs } = await runContainer('slack', [help(), help()]);
    expect(results.map((r) => r.statusCode)).toEqual([503, 200]);
    const failure = logs.find((l) => l.message === 'Slack secrets could not be read from SSM');
    expect(failure).toMatchObject({ level: 'error', awsRequestId: 'lambda-req-1' });
    expect(JSON.stringify(failure?.error)).toMatch(/abort|timeout/i);
    // The second invocation read again, and got the secrets that verified its request.
    expect(ssm.calls.at(-1)).toMatchObject({ names: [SIGNING_PARAM, TOKEN_PARAM], status: 200 });
  });

  it("writes Bolt's own lines as JSON through the bot's logger, with the request id and Slack's retry number", async () => {
    const forged = signedEvent(slashCommand({ text: 'help', userId: 'U0ALICE01', channelId: 'C0DEV' }), {
      secret: SECRET,
      wrongSecret: true,
    });
    forged.headers['x-slack-retry-num'] = '2';
    const { results, logs } = await runContainer('slack', [forged]);
    expect(results[0]?.statusCode).toBe(401);
    const bolt = logs.filter((l) => l.source === 'bolt' || String(l.source).startsWith('bolt'));
    expect(bolt.length).toBeGreaterThan(0);
    expect(bolt[0]).toMatchObject({ awsRequestId: 'lambda-req-1', slackRetryNum: 2 });
  });
});

describe('dist/slack.js reading SSM over HTTPS, as it does in Lambda', () => {
  let tls: SsmFake;
  beforeAll(async () => {
    tls = await startSsmFake({ [SIGNING_PARAM]: SECRET, [TOKEN_PARAM]: 'xoxb-from-ssm' }, { tls: true });
  });
  afterAll(() => tls?.stop());
  beforeEach(() => {
    tls.calls.length = 0;
  });

  it('reads the secrets over TLS from an endpoint whose certificate it trusts and that names its host', async () => {
    const { results } = await runContainer('slack', [help()], {
      SSM_ENDPOINT: tls.endpoint,
      NODE_EXTRA_CA_CERTS: LOCALHOST_CERT,
    });
    expect(tls.endpoint).toMatch(/^https:\/\/localhost:/);
    expect(results.map((r) => r.statusCode)).toEqual([200]);
    expect(tls.calls).toMatchObject([{ names: [SIGNING_PARAM, TOKEN_PARAM], status: 200 }]);
  });

  it.each([
    {
      refused: 'a certificate no CA it trusts signed',
      trusted: false,
      byAddress: false,
      why: /self[- ]signed/i,
    },
    // The certificate names localhost only; 127.0.0.1 is the same server under a name it lacks.
    {
      refused: 'a certificate for another host name',
      trusted: true,
      byAddress: true,
      why: /altnames|does not match/i,
    },
  ])('refuses $refused: 503, and no request reaches SSM', async ({ trusted, byAddress, why }) => {
    const endpoint = byAddress ? tls.endpoint.replace('localhost', '127.0.0.1') : tls.endpoint;
    const { results, logs } = await runContainer('slack', [help()], {
      SSM_ENDPOINT: endpoint,
      ...(trusted ? { NODE_EXTRA_CA_CERTS: LOCALHOST_CERT } : {}),
    });
    expect(results.map((r) => r.statusCode)).toEqual([503]);
    const failure = logs.find((l) => l.message === 'Slack secrets could not be read from SSM');
    expect(JSON.stringify(failure?.error)).toMatch(why);
    expect(tls.calls).toEqual([]);
  });
});

describe('dist/poller.js with its token in SSM', () => {
  it('exits cleanly when SSM fails, and reads once when it answers', async () => {
    ssm.inject({ code: 'InternalServerError', status: 500, times: 2 });
    const failed = await runContainer('poller', [{}, {}]);
    expect(failed.results).toEqual([
      { rounds: 0, due: 0 },
      { rounds: 0, due: 0 },
    ]);
    expect(failed.logs.filter((l) => l.message === 'Slack secrets could not be read from SSM')).toHaveLength(
      2,
    );
    ssm.calls.length = 0;
    // With the token read, the runs get as far as DynamoDB (nothing listens in this test).
    await runContainer('poller', [{}, {}]).catch(() => undefined);
    expect(ssm.calls.filter((c) => c.status === 200)).toHaveLength(1);
    expect(ssm.calls[0]?.names).toEqual([TOKEN_PARAM]);
  });
});
