import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botConfigSchema } from '../../src/domain/config';
import { TABLE_DEFINITION } from '../../src/store/table';
import { readZipEntry, zipEntries } from './zip';

/**
 * Builds the real handlers and packages the `ci` stage with osls, offline, then checks the
 * generated CloudFormation template and the zips: what `osls deploy` would ship.
 *
 * osls runs in a scratch copy of the service (serverless.yml, its helper, the example config, a
 * copy of src/ and a link to node_modules, so the packaging patterns really have something to
 * leave out) with a guard that makes any network call fail: packaging must not need one.
 */

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const osls = path.join(root, 'node_modules/osls/bin/serverless.js');

const CI_DISTRIBUTION_IDS = ['E2QWRUHAPOMQZL'];
const CI_ASSUME_ROLE_ARNS = ['arn:aws:iam::123456789012:role/cf-invalidator'];
const CI_CONFIG_FILE = 'config/bot-config.example.json';

// Loaded with --require into osls and into the bundle checks: any socket to a host or DNS
// lookup throws, naming what was attempted.
const NO_NETWORK_GUARD = `
const net = require('node:net');
const dns = require('node:dns');
const blocked = (what) => { throw new Error('network access blocked in packaging test: ' + what); };
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const target = Array.isArray(args[0]) ? args[0][0] : args[0];
  const isLocalPipe = (target && typeof target === 'object' && target.path) || (typeof target === 'string' && isNaN(Number(target)));
  if (!isLocalPipe) blocked('connect ' + JSON.stringify(target) + ' ' + String(args[1] ?? ''));
  return connect.apply(this, args);
};
dns.lookup = (host) => blocked('dns lookup ' + host);
dns.promises.lookup = async (host) => blocked('dns lookup ' + host);
globalThis.fetch = async (url) => blocked('fetch ' + String(url));
`;

type Json = Record<string, unknown>;
interface Resource {
  Type: string;
  Properties: Json;
  Condition?: string;
  DependsOn?: unknown;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
interface Template {
  Resources: Record<string, Resource>;
  Conditions?: Record<string, unknown>;
}

let work: string;
let template: Template;
let packagingMs: number;
const zips = new Map<string, Buffer>();

function resourcesOfType(type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

function resource(name: string): Resource {
  const found = template.Resources[name];
  if (!found) throw new Error(`template has no resource ${name}`);
  return found;
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** Every IAM statement the functions' role gets: its inline policies and attached AWS::IAM::Policy. */
function roleStatements(): { statement: Statement; condition?: string }[] {
  const role = resource('IamRoleLambdaExecution');
  const inline = (role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) =>
    p.PolicyDocument.Statement.map((statement) => ({ statement })),
  );
  const attached = resourcesOfType('AWS::IAM::Policy').flatMap(([, policy]) => {
    expect(policy.Properties.Roles).toEqual([{ Ref: 'IamRoleLambdaExecution' }]);
    const doc = policy.Properties.PolicyDocument as { Statement: Statement[] };
    return doc.Statement.map((statement) => ({ statement, condition: policy.Condition }));
  });
  return [...inline, ...attached];
}

function statementsFor(service: string): { statement: Statement; condition?: string }[] {
  return roleStatements().filter(({ statement }) =>
    asList(statement.Action).some((a) => a.startsWith(`${service}:`)),
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'sls-package-'));
  for (const file of ['serverless.yml', 'scripts/serverless-params.cjs', CI_CONFIG_FILE, 'package.json']) {
    mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    cpSync(path.join(root, file), path.join(work, file));
  }
  cpSync(path.join(root, 'src'), path.join(work, 'src'), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'), 'dir');
  const guard = path.join(work, 'no-network.cjs');
  writeFileSync(guard, NO_NETWORK_GUARD);

  // Always a fresh build of the real handlers: a stale dist/ must not pass for the current code.
  await run(process.execPath, [path.join(root, 'scripts/build.mjs'), '--outdir', path.join(work, 'dist')], {
    cwd: root,
  });

  const started = Date.now();
  try {
    await run(process.execPath, [osls, 'package', '--stage', 'ci'], {
      cwd: work,
      // Only what packaging needs: no AWS profile, no proxy, a HOME of its own.
      env: {
        PATH: process.env.PATH,
        HOME: path.join(work, 'home'),
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'x',
        NODE_OPTIONS: `--require ${guard}`,
      },
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`osls package failed:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`);
  }
  packagingMs = Date.now() - started;

  const out = path.join(work, '.serverless');
  template = JSON.parse(readFileSync(path.join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
  for (const fn of ['slack', 'poller']) zips.set(fn, readFileSync(path.join(out, `${fn}.zip`)));
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('osls package --stage ci', () => {
  it('packages offline in reasonable time', () => {
    // Measured at about 3 s on 2 cores; the limit only catches a hang or a retry loop.
    expect(packagingMs).toBeLessThan(120_000);
  });
});

describe('DynamoDB table', () => {
  it('has the keys, indexes and billing the store uses (src/store/table.ts)', () => {
    const table = resource('BotTable');
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    const p = table.Properties;
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);

    const gsis = p.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown; Projection: unknown }[];
    const byName = Object.fromEntries(gsis.map((g) => [g.IndexName, g]));
    expect(Object.keys(byName).sort()).toEqual(['active', 'byDistribution', 'byRequester']);
    const keys = (hash: string, range: string) => [
      { AttributeName: hash, KeyType: 'HASH' },
      { AttributeName: range, KeyType: 'RANGE' },
    ];
    expect(byName.active?.KeySchema).toEqual(keys('activePk', 'activeDue'));
    expect(byName.byRequester?.KeySchema).toEqual(keys('requesterId', 'id'));
    expect(byName.byDistribution?.KeySchema).toEqual(keys('distributionId', 'id'));
    for (const g of gsis) expect(g.Projection).toEqual({ ProjectionType: 'ALL' });

    // The same layout the store creates for tests and local dev, so both stay in step.
    const sortByName = <T extends { AttributeName?: string; IndexName?: string }>(xs: T[]) =>
      [...xs].sort((a, b) =>
        (a.AttributeName ?? a.IndexName ?? '').localeCompare(b.AttributeName ?? b.IndexName ?? ''),
      );
    expect(sortByName(p.AttributeDefinitions as { AttributeName: string }[])).toEqual(
      sortByName(TABLE_DEFINITION.AttributeDefinitions),
    );
    expect(sortByName(gsis)).toEqual(sortByName(TABLE_DEFINITION.GlobalSecondaryIndexes));
    expect(p.KeySchema).toEqual(TABLE_DEFINITION.KeySchema);
  });

  it('keeps its data: PITR on, TTL only on expiresAt, retained on delete and replacement', () => {
    const table = resource('BotTable');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('functions', () => {
  const expected = {
    slack: { handler: 'dist/slack.handler', memory: 512, timeout: 10 },
    poller: { handler: 'dist/poller.handler', memory: 256, timeout: 60 },
  };

  it.each(Object.entries(expected))('%s runs the bundle on nodejs24.x arm64', (name, want) => {
    const fn = resource(`${name[0]?.toUpperCase()}${name.slice(1)}LambdaFunction`).Properties;
    expect(fn.Runtime).toBe('nodejs24.x');
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.Handler).toBe(want.handler);
    expect(fn.MemorySize).toBe(want.memory);
    expect(fn.Timeout).toBe(want.timeout);
  });

  it.each(Object.keys(expected))('%s gets the environment contract of DESIGN.md', (name) => {
    const fn = resource(`${name[0]?.toUpperCase()}${name.slice(1)}LambdaFunction`).Properties;
    const env = (fn.Environment as { Variables: Json }).Variables;
    expect(env.TABLE_NAME).toEqual({ Ref: 'BotTable' });
    expect(env.BOT_CONFIG_FILE).toBe(`/var/task/${CI_CONFIG_FILE}`);
    expect(env.DRY_RUN).toBe('false');
    // The ci stage has placeholders; real stages resolve SSM parameters at deploy time.
    expect(env.SLACK_SIGNING_SECRET).toBe('ci-placeholder-signing-secret');
    expect(env.SLACK_BOT_TOKEN).toBe('xoxb-ci-placeholder');
    if (name === 'poller') {
      expect(env.POLL_INTERVAL_MS).toBe('10000');
      expect(env.POLL_BUDGET_MS).toBe('50000');
    }
  });

  it('real stages take the Slack secrets from SSM, never from the repo', () => {
    const yml = readFileSync(path.join(root, 'serverless.yml'), 'utf8');
    // osls variable syntax, as text: `\${` escapes JavaScript's own placeholder.
    const ssm = (name: string) => `\${ssm:/cloudfront-invalidation-bot/\${sls:stage}/${name}}`;
    expect(yml).toContain(`slackSigningSecret: ${ssm('slack-signing-secret')}`);
    expect(yml).toContain(`slackBotToken: ${ssm('slack-bot-token')}`);
    expect(yml).not.toMatch(/xoxb-\d/);
  });
});

describe('events', () => {
  it('runs the poller every minute', () => {
    const rules = resourcesOfType('AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules).toHaveLength(1);
    expect(rules[0]?.ScheduleExpression).toBe('rate(1 minute)');
    expect(rules[0]?.State).toBe('ENABLED');
    expect(rules[0]?.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': ['PollerLambdaFunction', 'Arn'] } }),
    ]);
    const permissions = resourcesOfType('AWS::Lambda::Permission').map(([, r]) => r.Properties);
    expect(permissions).toContainEqual(
      expect.objectContaining({
        FunctionName: { 'Fn::GetAtt': ['PollerLambdaFunction', 'Arn'] },
        Principal: 'events.amazonaws.com',
      }),
    );
  });

  it('routes POST /slack/events (HTTP API, payload 2.0) to the slack function, and nothing else', () => {
    const routes = resourcesOfType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.map((r) => r.RouteKey)).toEqual(['POST /slack/events']);
    const target = JSON.stringify(routes[0]?.Target);
    const integrations = resourcesOfType('AWS::ApiGatewayV2::Integration');
    expect(integrations).toHaveLength(1);
    const [integrationName, integration] = integrations[0] ?? [];
    expect(target).toContain(`"Ref":"${integrationName}"`);
    expect(integration?.Properties.IntegrationUri).toEqual({ 'Fn::GetAtt': ['SlackLambdaFunction', 'Arn'] });
    expect(integration?.Properties.PayloadFormatVersion).toBe('2.0');
  });
});

describe('IAM (least privilege)', () => {
  it('grants no wildcard action and no action on every resource', () => {
    for (const { statement } of roleStatements()) {
      for (const action of asList(statement.Action)) expect(action).not.toContain('*');
      expect(asList(statement.Resource)).not.toContain('*');
    }
  });

  it('scopes DynamoDB to the table and its indexes', () => {
    const dynamo = statementsFor('dynamodb');
    expect(dynamo.length).toBeGreaterThan(0);
    for (const { statement } of dynamo) {
      for (const r of asList(statement.Resource)) {
        expect([
          { 'Fn::GetAtt': ['BotTable', 'Arn'] },
          { 'Fn::Sub': `\${BotTable.Arn}/index/*` },
        ]).toContainEqual(r);
      }
    }
  });

  it('scopes CloudFront to the configured distributions, written with CloudFormation pseudo parameters', () => {
    const cloudfront = statementsFor('cloudfront');
    expect(cloudfront).toHaveLength(1);
    const [{ statement, condition }] = cloudfront as [(typeof cloudfront)[number]];
    expect(asList(statement.Action).sort()).toEqual([
      'cloudfront:CreateInvalidation',
      'cloudfront:CreateInvalidationForDistributionTenant',
      'cloudfront:GetInvalidation',
      'cloudfront:GetInvalidationForDistributionTenant',
    ]);
    const ids = asList(statement.Resource).map((r) => {
      const sub = (r as { 'Fn::Sub'?: string })['Fn::Sub'] ?? '';
      const match =
        /^arn:\$\{AWS::Partition\}:cloudfront::\$\{AWS::AccountId\}:distribution(?:-tenant)?\/((?:E|dt_)[A-Za-z0-9]+)$/.exec(
          sub,
        );
      expect(match, `not a distribution or tenant ARN: ${JSON.stringify(r)}`).not.toBeNull();
      return match?.[1];
    });
    // The tenant ARNs (distribution-tenant/dt_…) follow the distributions'.
    expect(ids).toEqual([...CI_DISTRIBUTION_IDS, 'dt_ciTenant1']);
    // Left out (not granted on nothing) when a stage lists no distributions.
    expect(condition).toBeDefined();
    expect(JSON.stringify(template.Conditions?.[condition ?? ''])).toContain(
      JSON.stringify(CI_DISTRIBUTION_IDS),
    );
  });

  it('allows sts:AssumeRole only on the configured roles', () => {
    const sts = statementsFor('sts');
    expect(sts).toHaveLength(1);
    const [{ statement, condition }] = sts as [(typeof sts)[number]];
    expect(asList(statement.Action)).toEqual(['sts:AssumeRole']);
    expect(asList(statement.Resource)).toEqual(CI_ASSUME_ROLE_ARNS);
    expect(condition).toBeDefined();
    expect(JSON.stringify(template.Conditions?.[condition ?? ''])).toContain(
      JSON.stringify(CI_ASSUME_ROLE_ARNS),
    );
  });

  // Every AWS call in src/ needs its IAM action granted, or it fails in Lambda with AccessDenied.
  // A command missing from this table fails the test, so no call is added unnoticed.
  const actionForCommand: Record<string, string | null> = {
    GetItem: 'dynamodb:GetItem',
    PutItem: 'dynamodb:PutItem',
    BatchWriteItem: 'dynamodb:BatchWriteItem',
    UpdateItem: 'dynamodb:UpdateItem',
    DeleteItem: 'dynamodb:DeleteItem',
    Query: 'dynamodb:Query',
    // Table set-up for tests and local dev (src/store/table.ts); deployed stages get the table from
    // serverless.yml, so the Lambda role needs none of these.
    CreateTable: null,
    DescribeTable: null,
    DescribeTimeToLive: null,
    UpdateTimeToLive: null,
    CreateInvalidation: 'cloudfront:CreateInvalidation',
    GetInvalidation: 'cloudfront:GetInvalidation',
    CreateInvalidationForDistributionTenant: 'cloudfront:CreateInvalidationForDistributionTenant',
    GetInvalidationForDistributionTenant: 'cloudfront:GetInvalidationForDistributionTenant',
    // Grantable only on `*`; not granted while no deployed code calls it (checked below).
    ListDistributions: null,
    AssumeRole: 'sts:AssumeRole',
  };
  const setupOnly = ['CreateTable', 'DescribeTable', 'DescribeTimeToLive', 'UpdateTimeToLive'];

  it('grants every AWS action the code calls', () => {
    const granted = new Set(roleStatements().flatMap(({ statement }) => asList(statement.Action)));
    const used = new Map<string, string>();
    for (const file of sourceFiles(path.join(root, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/new\s+(\w+)Command\s*\(/g)) {
        used.set(m[1] ?? '', path.relative(root, file));
      }
    }
    expect(used.size).toBeGreaterThan(0);
    for (const [command, file] of used) {
      expect(
        command in actionForCommand,
        `${command}Command (${file}) is not in the IAM table of this test`,
      ).toBe(true);
      const action = actionForCommand[command];
      if (action) expect(granted.has(action), `${action} (for ${file}) is not granted`).toBe(true);
      if (setupOnly.includes(command)) expect(file).toBe(path.join('src', 'store', 'table.ts'));
    }
  });

  it('leaves cloudfront:ListDistributions out only while nothing outside the gateway lists distributions', () => {
    const callers = sourceFiles(path.join(root, 'src'))
      .filter((f) => !f.includes(`${path.sep}cloudfront${path.sep}`))
      .filter((f) => /\.listDistributions\s*\(/.test(readFileSync(f, 'utf8')));
    expect(callers.map((f) => path.relative(root, f))).toEqual([]);
  });
});

describe('deployment packages', () => {
  it.each(['slack', 'poller'])(
    '%s.zip holds its bundle, the AWS clients it loads on first use, their source maps and the config, nothing else',
    (name) => {
      const entries = zipEntries(zips.get(name) ?? Buffer.alloc(0)).map((e) => e.name);
      expect(entries.filter((e) => e.includes('node_modules'))).toEqual([]);
      expect(entries.filter((e) => e.endsWith('.ts'))).toEqual([]);
      expect(entries.sort()).toEqual(
        [
          CI_CONFIG_FILE,
          `dist/${name}.js`,
          `dist/${name}.js.map`,
          'dist/dynamodb.js',
          'dist/dynamodb.js.map',
          'dist/cloudfront.js',
          'dist/cloudfront.js.map',
        ].sort(),
      );
    },
  );

  it('ships an example config that passes the config schema', () => {
    const zip = zips.get('slack') ?? Buffer.alloc(0);
    const config = JSON.parse(readZipEntry(zip, CI_CONFIG_FILE).toString('utf8'));
    expect(botConfigSchema.safeParse(config).error).toBeUndefined();
    expect(config.distributions.map((d: { id: string }) => d.id)).toEqual(CI_DISTRIBUTION_IDS);
  });

  it.each(['slack', 'poller'])(
    'the zipped %s bundle and the AWS clients it loads on first use load on their own (no node_modules, no network)',
    async (name) => {
      const zip = zips.get(name) ?? Buffer.alloc(0);
      const taskRoot = mkdtempSync(path.join(tmpdir(), `task-${name}-`));
      try {
        for (const entry of zipEntries(zip)) {
          mkdirSync(path.dirname(path.join(taskRoot, entry.name)), { recursive: true });
          writeFileSync(path.join(taskRoot, entry.name), readZipEntry(zip, entry.name));
        }
        const fn = resource(`${name[0]?.toUpperCase()}${name.slice(1)}LambdaFunction`).Properties;
        const env = Object.fromEntries(
          Object.entries((fn.Environment as { Variables: Json }).Variables).filter(
            ([, v]) => typeof v === 'string',
          ),
        ) as Record<string, string>;
        // The AWS clients are loaded the way the bundle loads them on first use.
        const dist = (file: string) => JSON.stringify(path.join(taskRoot, 'dist', file));
        const script = `const m = require(${dist(`${name}.js`)});
          Promise.all([import(${dist('dynamodb.js')}), import(${dist('cloudfront.js')})]).then(([db, cf]) => {
            console.log(typeof m.handler, typeof db.createDynamoClient, typeof cf.createCloudFrontGateway);
            process.exit(0);
          });`;
        const { stdout } = await run(process.execPath, ['-e', script], {
          cwd: taskRoot,
          env: {
            ...env,
            PATH: process.env.PATH,
            TABLE_NAME: 'bot-table',
            BOT_CONFIG_FILE: path.join(taskRoot, CI_CONFIG_FILE),
            AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: 'x',
            AWS_SECRET_ACCESS_KEY: 'x',
            NODE_OPTIONS: `--require ${path.join(work, 'no-network.cjs')} --enable-source-maps`,
          },
        });
        expect(stdout.trim()).toBe('function function function');
      } finally {
        rmSync(taskRoot, { recursive: true, force: true });
      }
    },
  );
});
