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
import { botConfigSchema } from '../../src/config/bot-config';
import { emfMetrics, METRICS_NAMESPACE } from '../../src/observability/metrics';
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

const CI_CONFIG_FILE = 'config/bot-config.ci.json';
const ciConfig = botConfigSchema.parse(JSON.parse(readFileSync(path.join(root, CI_CONFIG_FILE), 'utf8')));
const SLACK_FUNCTION = 'cloudfront-invalidation-bot-ci-slack';
const POLLER_FUNCTION = 'cloudfront-invalidation-bot-ci-poller';
const SIGNING_PARAM = '/cloudfront-invalidation-bot/ci/slack-signing-secret';
const TOKEN_PARAM = '/cloudfront-invalidation-bot/ci/slack-bot-token';

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
let templateText: string;
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

/** The statements of one role's inline policies. */
function roleStatements(role: string): Statement[] {
  const r = resource(role);
  expect(r.Type).toBe('AWS::IAM::Role');
  return (r.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (p) => p.PolicyDocument.Statement,
  );
}

const ROLES = ['SlackRole', 'PollerRole', 'InvalidatorRole'] as const;

function allowed(role: string): Statement[] {
  return roleStatements(role).filter((s) => s.Effect === 'Allow');
}

function actionsOf(role: string): string[] {
  return [...new Set(allowed(role).flatMap((s) => asList(s.Action)))].sort();
}

/** The wrapper Lambda starts each function's runtime through (AWS_LAMBDA_EXEC_WRAPPER). */
const WRAPPER = 'scripts/lambda-node-flags.sh';

/** A function's packaged environment variables that are plain strings (not CloudFormation refs). */
function packagedEnvironment(name: string): Record<string, string> {
  const fn = resource(`${name[0]?.toUpperCase()}${name.slice(1)}LambdaFunction`).Properties;
  return Object.fromEntries(
    Object.entries((fn.Environment as { Variables: Json }).Variables).filter(
      ([, v]) => typeof v === 'string',
    ),
  ) as Record<string, string>;
}

/** The zip unpacked into a fresh directory, as Lambda unpacks it into /var/task, modes included. */
function unzipTo(zip: Buffer, name: string): string {
  const taskRoot = mkdtempSync(path.join(tmpdir(), `task-${name}-`));
  for (const entry of zipEntries(zip)) {
    mkdirSync(path.dirname(path.join(taskRoot, entry.name)), { recursive: true });
    writeFileSync(path.join(taskRoot, entry.name), readZipEntry(zip, entry.name), {
      mode: entry.unixMode || 0o644,
    });
  }
  return taskRoot;
}

function resourcesFor(role: string, action: string): unknown[] {
  return allowed(role)
    .filter((s) => asList(s.Action).includes(action))
    .flatMap((s) => asList(s.Resource));
}

const sub = (arn: string) => ({ 'Fn::Sub': arn });

/** Packages the scratch service; the result, not an exception, when osls fails. */
async function oslsPackage(extraArgs: string[] = []): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [osls, 'package', '--stage', 'ci', ...extraArgs], {
      cwd: work,
      // Only what packaging needs: no AWS profile, no proxy, a HOME of its own.
      env: {
        PATH: process.env.PATH,
        HOME: path.join(work, 'home'),
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'x',
        NODE_OPTIONS: `--require ${path.join(work, 'no-network.cjs')}`,
      },
    });
    return { ok: true, output: `${stdout}\n${stderr}` };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${e.stdout ?? ''}\n${e.stderr ?? e.message}` };
  }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'sls-package-'));
  for (const file of [
    'serverless.yml',
    'scripts/serverless-params.cjs',
    WRAPPER,
    CI_CONFIG_FILE,
    'package.json',
  ]) {
    mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    cpSync(path.join(root, file), path.join(work, file));
  }
  // The config is checked with the bot's own loader, from these sources.
  cpSync(path.join(root, 'src'), path.join(work, 'src'), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'), 'dir');
  writeFileSync(path.join(work, 'no-network.cjs'), NO_NETWORK_GUARD);

  // Always a fresh build of the real handlers: a stale dist/ must not pass for the current code.
  await run(process.execPath, [path.join(root, 'scripts/build.mjs'), '--outdir', path.join(work, 'dist')], {
    cwd: root,
  });

  const started = Date.now();
  const packaged = await oslsPackage();
  if (!packaged.ok) throw new Error(`osls package failed:\n${packaged.output}`);
  packagingMs = Date.now() - started;

  const out = path.join(work, '.serverless');
  templateText = readFileSync(path.join(out, 'cloudformation-template-update-stack.json'), 'utf8');
  template = JSON.parse(templateText);
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

  it('keeps its data: PITR on, TTL only on expiresAt, deletion protection, retained on delete and replacement', () => {
    const table = resource('BotTable');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });
});

const fnProps = (name: string) =>
  resource(`${name[0]?.toUpperCase()}${name.slice(1)}LambdaFunction`).Properties;
const envOf = (name: string) => (fnProps(name).Environment as { Variables: Json }).Variables;

describe('functions', () => {
  const expected = {
    // Slack waits 3 s for an answer; a longer timeout only holds work nobody waits for.
    slack: {
      handler: 'dist/slack.handler',
      memory: 512,
      timeout: 3,
      role: 'SlackRole',
      name: SLACK_FUNCTION,
    },
    poller: {
      handler: 'dist/poller.handler',
      memory: 256,
      timeout: 60,
      role: 'PollerRole',
      name: POLLER_FUNCTION,
    },
  };

  it.each(Object.entries(expected))(
    '%s runs the bundle on nodejs24.x arm64, under a role of its own',
    (name, want) => {
      const fn = fnProps(name);
      expect(fn.Runtime).toBe('nodejs24.x');
      expect(fn.Architectures).toEqual(['arm64']);
      expect(fn.Handler).toBe(want.handler);
      expect(fn.MemorySize).toBe(want.memory);
      expect(fn.Timeout).toBe(want.timeout);
      expect(fn.Role).toEqual({ 'Fn::GetAtt': [want.role, 'Arn'] });
      expect(fn.FunctionName).toBe(want.name);
    },
  );

  it.each(Object.keys(expected))(
    '%s gets the environment contract of the README, with SSM parameter names for secrets',
    (name) => {
      const env = envOf(name);
      expect(env.TABLE_NAME).toEqual({ Ref: 'BotTable' });
      expect(env.BOT_CONFIG_FILE).toBe(`/var/task/${CI_CONFIG_FILE}`);
      expect(env.DRY_RUN).toBe('false');
      expect(env.SLACK_BOT_TOKEN_PARAM).toBe(TOKEN_PARAM);
      expect(env).not.toHaveProperty('SLACK_BOT_TOKEN');
      expect(env).not.toHaveProperty('SLACK_SIGNING_SECRET');
      if (name === 'slack') {
        expect(env.SLACK_SIGNING_SECRET_PARAM).toBe(SIGNING_PARAM);
        // The kick goes to the poller, by its name.
        expect(env.WORKER_FUNCTION).toBe(POLLER_FUNCTION);
        expect(env.WORKER_FUNCTION).toBe(fnProps('poller').FunctionName);
      }
      if (name === 'poller') {
        expect(env).not.toHaveProperty('SLACK_SIGNING_SECRET_PARAM');
        expect(env.POLL_INTERVAL_MS).toBe('10000');
        expect(env.POLL_BUDGET_MS).toBe('50000');
        expect(env.INVALIDATOR_ROLE_ARN).toEqual({ 'Fn::GetAtt': ['InvalidatorRole', 'Arn'] });
      }
    },
  );

  it('holds no secret, placeholder or deploy-time SSM resolution anywhere in the template or serverless.yml', () => {
    expect(templateText).not.toMatch(/xox[abp]-/);
    expect(templateText).not.toMatch(/placeholder/i);
    expect(templateText).not.toMatch(/SLACK_(SIGNING_SECRET|BOT_TOKEN)"/);
    const yml = readFileSync(path.join(root, 'serverless.yml'), 'utf8');
    // osls variable syntax, as text: `\${` escapes JavaScript's own placeholder.
    expect(yml).not.toContain('${ssm:');
    for (const name of ['slack', 'poller']) {
      for (const value of Object.values(envOf(name))) {
        if (typeof value === 'string') expect(value).not.toMatch(/secret-value|xox/);
      }
    }
  });

  it('kicks of the poller: retried once, dropped after 5 minutes, then sent to the kick-failure queue', () => {
    const [config] = resourcesOfType('AWS::Lambda::EventInvokeConfig');
    expect(config?.[1].Properties).toMatchObject({
      FunctionName: { Ref: 'PollerLambdaFunction' },
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 300,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['KickFailureQueue', 'Arn'] } } },
    });
    expect(resource('KickFailureQueue').Type).toBe('AWS::SQS::Queue');
    expect(resourcesOfType('AWS::Lambda::EventInvokeConfig')).toHaveLength(1);
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

describe('IAM (least privilege, one role per function)', () => {
  const logsFor = (fn: string) =>
    sub(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${fn}:*`);
  const param = (name: string) =>
    sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}`);
  const invalidatorArn = sub(
    `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/cloudfront-invalidation-bot-ci-invalidator`,
  );

  it('the functions run under exactly the three roles of the stack, no shared execution role', () => {
    expect(
      resourcesOfType('AWS::IAM::Role')
        .map(([name]) => name)
        .sort(),
    ).toEqual([...ROLES].sort());
    expect(resourcesOfType('AWS::IAM::Policy')).toEqual([]);
  });

  it('grants no wildcard action and no action on every resource', () => {
    for (const role of ROLES) {
      for (const statement of roleStatements(role)) {
        for (const action of asList(statement.Action)) expect(action).not.toContain('*');
        expect(asList(statement.Resource)).not.toContain('*');
      }
    }
  });

  /** What both functions need for their own log group and the requests table. */
  const OWN_LOGS_AND_TABLE = [
    'logs:CreateLogStream',
    'logs:PutLogEvents',
    'dynamodb:BatchWriteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
  ];

  it('slack: its log group, its table, invoking the poller only, and reading exactly its two SSM parameters', () => {
    expect(actionsOf('SlackRole')).toEqual(
      [...OWN_LOGS_AND_TABLE, 'lambda:InvokeFunction', 'ssm:GetParameters', 'kms:Decrypt'].sort(),
    );
    expect(resourcesFor('SlackRole', 'logs:PutLogEvents')).toEqual([logsFor(SLACK_FUNCTION)]);
    expect(resourcesFor('SlackRole', 'lambda:InvokeFunction')).toEqual([
      { 'Fn::GetAtt': ['PollerLambdaFunction', 'Arn'] },
    ]);
    expect(resourcesFor('SlackRole', 'ssm:GetParameters')).toEqual([
      param(SIGNING_PARAM),
      param(TOKEN_PARAM),
    ]);
  });

  it('poller: its log group, its table, the bot token, assuming the invalidator roles, and the kick-failure queue', () => {
    expect(actionsOf('PollerRole')).toEqual(
      [...OWN_LOGS_AND_TABLE, 'ssm:GetParameters', 'kms:Decrypt', 'sts:AssumeRole', 'sqs:SendMessage'].sort(),
    );
    expect(resourcesFor('PollerRole', 'logs:PutLogEvents')).toEqual([logsFor(POLLER_FUNCTION)]);
    expect(resourcesFor('PollerRole', 'ssm:GetParameters')).toEqual([param(TOKEN_PARAM)]);
    expect(resourcesFor('PollerRole', 'sqs:SendMessage')).toEqual([
      { 'Fn::GetAtt': ['KickFailureQueue', 'Arn'] },
    ]);
  });

  it('kms:Decrypt only through SSM, for both functions', () => {
    for (const role of ['SlackRole', 'PollerRole']) {
      const [decrypt, ...more] = allowed(role).filter((s) => asList(s.Action).includes('kms:Decrypt'));
      expect(more).toEqual([]);
      expect(JSON.stringify((decrypt as unknown as { Condition: unknown }).Condition)).toContain(
        'kms:ViaService',
      );
    }
  });

  it('scopes DynamoDB to the table and its indexes', () => {
    for (const role of ['SlackRole', 'PollerRole']) {
      const resources = allowed(role)
        .filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')))
        .flatMap((s) => asList(s.Resource));
      expect(resources).toEqual([
        { 'Fn::GetAtt': ['BotTable', 'Arn'] },
        { 'Fn::Sub': `\${BotTable.Arn}/index/*` },
      ]);
    }
  });

  it("CloudFront rights live only on the invalidator role, on exactly the config's same-account targets", () => {
    for (const role of ['SlackRole', 'PollerRole']) {
      expect(actionsOf(role).filter((a) => a.startsWith('cloudfront:'))).toEqual([]);
    }
    const own = ciConfig.distributions.filter((d) => d.roleArn === undefined);
    const distributions = own.filter((d) => d.tenantId === undefined).map((d) => d.id);
    const tenants = own.flatMap((d) => (d.tenantId === undefined ? [] : [d.tenantId]));
    // The ci config has one target of each kind, so each rule below is exercised.
    expect([distributions.length, tenants.length, ciConfig.distributions.length - own.length]).toEqual([
      1, 1, 1,
    ]);
    expect(actionsOf('InvalidatorRole')).toEqual(
      [
        'cloudfront:CreateInvalidation',
        'cloudfront:GetInvalidation',
        'cloudfront:CreateInvalidationForDistributionTenant',
        'cloudfront:GetInvalidationForDistributionTenant',
      ].sort(),
    );
    const distributionArn = (id: string) =>
      sub(`arn:\${AWS::Partition}:cloudfront::\${AWS::AccountId}:distribution/${id}`);
    const tenantArn = (id: string) =>
      sub(`arn:\${AWS::Partition}:cloudfront::\${AWS::AccountId}:distribution-tenant/${id}`);
    expect(resourcesFor('InvalidatorRole', 'cloudfront:CreateInvalidation')).toEqual(
      distributions.map(distributionArn),
    );
    expect(resourcesFor('InvalidatorRole', 'cloudfront:GetInvalidation')).toEqual(
      distributions.map(distributionArn),
    );
    expect(resourcesFor('InvalidatorRole', 'cloudfront:CreateInvalidationForDistributionTenant')).toEqual(
      tenants.map(tenantArn),
    );
    expect(resourcesFor('InvalidatorRole', 'cloudfront:GetInvalidationForDistributionTenant')).toEqual(
      tenants.map(tenantArn),
    );
  });

  it('the invalidator role is trusted by the poller role only, which may tag its sessions and set their source identity', () => {
    const trust = resource('InvalidatorRole').Properties.AssumeRolePolicyDocument as {
      Statement: Statement[];
    };
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::GetAtt': ['PollerRole', 'Arn'] } },
        Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
      },
    ]);
    expect(resource('InvalidatorRole').Properties.RoleName).toBe(
      'cloudfront-invalidation-bot-ci-invalidator',
    );
  });

  it("sts:AssumeRole: the invalidator role and exactly the config's roleArns, for the poller only", () => {
    const roleArns = [...new Set(ciConfig.distributions.flatMap((d) => (d.roleArn ? [d.roleArn] : [])))];
    expect(resourcesFor('PollerRole', 'sts:AssumeRole')).toEqual([invalidatorArn, ...roleArns]);
    expect(actionsOf('SlackRole')).not.toContain('sts:AssumeRole');
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
    // The kick (slack function to poller).
    Invoke: 'lambda:InvokeFunction',
    // Grantable only on `*`; not granted while no deployed code calls it (checked below).
    ListDistributions: null,
    AssumeRole: 'sts:AssumeRole',
  };
  const setupOnly = ['CreateTable', 'DescribeTable', 'DescribeTimeToLive', 'UpdateTimeToLive'];

  it('grants every AWS action the code calls', () => {
    const granted = new Set(ROLES.flatMap((role) => actionsOf(role)));
    const used = new Map<string, string>();
    for (const file of sourceFiles(path.join(root, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/new\s+(\w+)Command\s*\(/g)) {
        used.set(m[1] ?? '', path.relative(root, file));
      }
    }
    // The SSM read is plain SigV4 over HTTPS (src/secrets), named by its X-Amz-Target.
    for (const file of sourceFiles(path.join(root, 'src'))) {
      if (readFileSync(file, 'utf8').includes("'AmazonSSM.GetParameters'")) {
        expect(granted.has('ssm:GetParameters'), `ssm:GetParameters (for ${file})`).toBe(true);
        used.set('GetParameters (SSM)', path.relative(root, file));
      }
    }
    expect(used.has('GetParameters (SSM)')).toBe(true);
    expect(used.size).toBeGreaterThan(1);
    for (const [command, file] of used) {
      if (command === 'GetParameters (SSM)') continue;
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

describe('HTTP API', () => {
  it('throttles the route', () => {
    const settings = resource('HttpApiStage').Properties.DefaultRouteSettings as Json;
    expect(settings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(settings.ThrottlingBurstLimit).toBeGreaterThanOrEqual(Number(settings.ThrottlingRateLimit));
  });
});

describe('alarms', () => {
  const alarms = () => resourcesOfType('AWS::CloudWatch::Alarm');
  /** The metrics an alarm reads: [namespace, name, dimension value] of each. */
  const metricsOf = (p: Json): [unknown, unknown, unknown][] => {
    if (p.MetricName) {
      return [[p.Namespace, p.MetricName, (p.Dimensions as { Value: unknown }[] | undefined)?.[0]?.Value]];
    }
    return (p.Metrics as { MetricStat?: { Metric: Json } }[])
      .filter((m) => m.MetricStat)
      .map((m) => {
        const metric = m.MetricStat?.Metric ?? {};
        return [metric.Namespace, metric.MetricName, (metric.Dimensions as { Value: unknown }[])[0]?.Value];
      });
  };
  const find = (namespace: string, name: string) =>
    alarms().filter(([, a]) => metricsOf(a.Properties).some(([ns, n]) => ns === namespace && n === name));
  /** README's "Alarms" section: the runbook. */
  const runbook = () =>
    /^### Alarms\n([\s\S]*?)^#{2,3} /m.exec(readFileSync(path.join(root, 'README.md'), 'utf8'))?.[1] ?? '';
  /** Whether the code can record a metric of this name (the MetricName union in metrics.ts). */
  const metricsSource = readFileSync(path.join(root, 'src/observability/metrics.ts'), 'utf8');
  const recorded = (name: string) => metricsSource.includes(`| '${name}'`);

  it('all go to one SNS topic, which mails an address when one is given', () => {
    expect(resourcesOfType('AWS::SNS::Topic').map(([n]) => n)).toEqual(['AlarmTopic']);
    for (const [, alarm] of alarms()) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
    const subscription = resource('AlarmEmailSubscription');
    expect(subscription.Condition).toBe('HasAlarmEmail');
    expect(subscription.Properties).toMatchObject({ Protocol: 'email', TopicArn: { Ref: 'AlarmTopic' } });
    expect(alarms().length).toBe(7);
  });

  it('fire on errors of either function', () => {
    const errors = find('AWS/Lambda', 'Errors').map(([, a]) => metricsOf(a.Properties)[0]?.[2]);
    expect(errors).toEqual([{ Ref: 'SlackLambdaFunction' }, { Ref: 'PollerLambdaFunction' }]);
  });

  it('fire when no scheduled poller run succeeded for 5 minutes, missing data counting as none', () => {
    const [[, alarm] = ['', { Properties: {} as Json }]] = find(METRICS_NAMESPACE, 'ScheduledPollerRuns');
    expect(alarm.Properties).toMatchObject({
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'PollerLambdaFunction' } }],
    });
  });

  it('fire on any message on the kick-failure queue', () => {
    const [[, alarm] = ['', { Properties: {} as Json }]] = find(
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
    );
    expect(alarm.Properties.Dimensions).toEqual([
      { Name: 'QueueName', Value: { 'Fn::GetAtt': ['KickFailureQueue', 'QueueName'] } },
    ]);
    expect(alarm.Properties.Threshold).toBe(0);
  });

  it('each has an entry in the README runbook, which its description (the mail) points to', () => {
    // One bullet per alarm, named as the template names it.
    const entries = [...runbook().matchAll(/^- \*\*`(\w+)`\*\*/gm)].map((m) => m[1]);
    expect(entries.sort()).toEqual(
      alarms()
        .map(([name]) => name)
        .sort(),
    );
    for (const [name, alarm] of alarms()) {
      expect(alarm.Properties.AlarmDescription, name).toMatch(/Runbook: README, "Alarms"\.$/);
    }
  });

  describe('the dashboard', () => {
    type MetricRow = (string | Record<string, unknown>)[];
    interface Widget {
      properties: { title: string; metrics: MetricRow[] };
    }
    /** The body as CloudFormation renders it, with the two values it substitutes filled in. */
    const body = (): { widgets: Widget[] } => {
      const sub = (resource('Dashboard').Properties.DashboardBody as { 'Fn::Sub': unknown })['Fn::Sub'];
      expect(typeof sub).toBe('string');
      const placeholder = (name: string) => ['$', '{', name, '}'].join('');
      const text = String(sub)
        .replaceAll(placeholder('AWS::Region'), 'us-east-1')
        .replaceAll(placeholder('KickFailureQueue.QueueName'), 'kick-failures');
      // Anything left is a variable osls did not resolve and CloudFormation cannot.
      expect(text).not.toMatch(/\$\{/);
      return JSON.parse(text) as { widgets: Widget[] };
    };
    const ourMetrics = (w: Widget) =>
      w.properties.metrics.filter((row) => row[0] === METRICS_NAMESPACE) as string[][];

    it('is one, named for the stage', () => {
      expect(resourcesOfType('AWS::CloudWatch::Dashboard').map(([n]) => n)).toEqual(['Dashboard']);
      expect(resource('Dashboard').Properties.DashboardName).toBe('cloudfront-invalidation-bot-ci');
    });

    it('shows metrics the code records, of the two functions, and its sums add rows that exist', () => {
      for (const widget of body().widgets) {
        const ids = new Set(
          widget.properties.metrics.flatMap((row) =>
            row.filter((c): c is Record<string, unknown> => typeof c === 'object').map((o) => o.id),
          ),
        );
        for (const row of ourMetrics(widget)) {
          expect(recorded(String(row[1])), `${widget.properties.title}: ${row[1]}`).toBe(true);
          expect([row[2], row[3]]).toSatisfy(
            ([dim, fn]) => dim === 'FunctionName' && (fn === SLACK_FUNCTION || fn === POLLER_FUNCTION),
          );
        }
        for (const row of widget.properties.metrics) {
          const expression = (row[0] as { expression?: string }).expression;
          if (expression === undefined) continue;
          for (const [ref] of expression.matchAll(/\b[a-z]\w*(?=,0\))/g)) expect(ids).toContain(ref);
        }
      }
    });

    it('shows every metric of ours that an alarm reads', () => {
      const shown = new Set(body().widgets.flatMap((w) => ourMetrics(w).map((row) => row[1])));
      const alarmed = alarms().flatMap(([, a]) =>
        metricsOf(a.Properties)
          .filter(([namespace]) => namespace === METRICS_NAMESPACE)
          .map(([, name]) => name),
      );
      expect(alarmed.length).toBeGreaterThan(0);
      for (const name of alarmed) expect(shown).toContain(name);
    });
  });

  describe('saved Logs Insights queries (the runbook)', () => {
    const queries = () => resourcesOfType('AWS::Logs::QueryDefinition');
    const shortName = (q: Resource) => String(q.Properties.Name).replace(/^.*\//, '');
    const sources = (): string =>
      sourceFiles(path.join(root, 'src'))
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n');

    it('read both functions log groups, under the stage name', () => {
      expect(queries().length).toBe(7);
      for (const [name, q] of queries()) {
        expect(q.Properties.Name, name).toMatch(/^cloudfront-invalidation-bot-ci\/[a-z-]+$/);
        expect(q.Properties.LogGroupNames, name).toEqual([
          { Ref: 'SlackLogGroup' },
          { Ref: 'PollerLogGroup' },
        ]);
      }
      expect(resource('SlackLogGroup').Properties.LogGroupName).toBe(`/aws/lambda/${SLACK_FUNCTION}`);
      expect(resource('PollerLogGroup').Properties.LogGroupName).toBe(`/aws/lambda/${POLLER_FUNCTION}`);
    });

    it('filter on log messages the code writes and metrics it records', () => {
      const src = sources();
      for (const [name, q] of queries()) {
        const text = String(q.Properties.QueryString);
        for (const [, message] of text.matchAll(/message = "([^"]+)"/g)) {
          // A renamed log line would leave the query finding nothing.
          expect(src, `${name}: "${message}"`).toMatch(new RegExp(`log\\.\\w+\\('${message}'`));
        }
        for (const [, metric] of text.matchAll(/filter (\w+) > 0/g)) {
          expect(recorded(String(metric)), `${name}: ${metric}`).toBe(true);
        }
      }
    });

    it('are the ones the README runbook names', () => {
      const named = [...runbook().matchAll(/`([a-z]+(?:-[a-z]+)+|errors)`/g)].map((m) => m[1]);
      for (const [, q] of queries()) expect(named).toContain(shortName(q));
    });
  });

  it.each(['NoticesDropped', 'RequestsFailed', 'BreakGlassRequests'] as const)(
    'fire on %s recorded by either function (the EMF metric the code writes)',
    (name) => {
      const [[, alarm] = ['', { Properties: {} as Json }]] = find(METRICS_NAMESPACE, name);
      expect(metricsOf(alarm.Properties).map(([, , fn]) => fn)).toEqual([
        { Ref: 'SlackLambdaFunction' },
        { Ref: 'PollerLambdaFunction' },
      ]);
      expect(alarm.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
      // The name is one the metrics module can write (a typo here would alarm on nothing).
      const written: string[] = [];
      emfMetrics('fn', (l) => written.push(l)).record([{ name, value: 1, unit: 'Count' }]);
      expect(JSON.parse(written[0] ?? '{}')._aws.CloudWatchMetrics[0].Metrics[0].Name).toBe(name);
    },
  );
});

describe('a stage whose config is broken does not package', () => {
  it('names every bad field, from the bot config loader', async () => {
    const broken = {
      approvalChannel: 'general',
      distributions: [
        { alias: 'WWW', id: 'E2QWRUHAPOMQZL' },
        { alias: 'shop', id: 'not-an-id' },
      ],
    };
    writeFileSync(path.join(work, 'config/broken.json'), JSON.stringify(broken));
    const result = await oslsPackage(['--param', 'configFile=config/broken.json']);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('Invalid bot config (BOT_CONFIG_FILE=config/broken.json)');
    expect(result.output).toContain('approvalChannel');
    expect(result.output).toContain('distributions[0].alias');
    expect(result.output).toContain('distributions[1].id');
  }, 120_000);

  it('names the missing file', async () => {
    const result = await oslsPackage(['--param', 'configFile=config/bot-config.nowhere.json']);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('config/bot-config.nowhere.json');
    expect(result.output).toContain('cannot read the file');
  }, 120_000);
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
          // The slack function kicks the poller: the Lambda client it loads on the first kick.
          ...(name === 'slack' ? ['dist/lambda.js', 'dist/lambda.js.map'] : []),
          WRAPPER,
        ].sort(),
      );
    },
  );

  it.each(['slack', 'poller'])(
    '%s ships the stage config the IAM was derived from, byte for byte',
    (name) => {
      const zip = zips.get(name) ?? Buffer.alloc(0);
      expect(readZipEntry(zip, CI_CONFIG_FILE).toString('utf8')).toBe(
        readFileSync(path.join(root, CI_CONFIG_FILE), 'utf8'),
      );
    },
  );

  it('the example config in the repo passes the config schema', () => {
    const example = JSON.parse(readFileSync(path.join(root, 'config/bot-config.example.json'), 'utf8'));
    expect(botConfigSchema.safeParse(example).error).toBeUndefined();
  });

  it.each(['slack', 'poller'])(
    "%s starts through the packaged wrapper, which sizes the heap as NODE_OPTIONS says over the runtime's own flag",
    async (name) => {
      const zip = zips.get(name) ?? Buffer.alloc(0);
      expect(zipEntries(zip).find((e) => e.name === WRAPPER)?.unixMode ?? 0).toBe(0o755);
      const env = packagedEnvironment(name);
      expect(env.AWS_LAMBDA_EXEC_WRAPPER).toBe(`/var/task/${WRAPPER}`);
      const semiSpace = /--max-semi-space-size=(\d+)/.exec(env.NODE_OPTIONS ?? '')?.[1];
      expect(semiSpace).toBeDefined();
      const taskRoot = unzipTo(zip, name);
      try {
        // What the young generation grows to under steady allocation, and the flags node got.
        const probe = path.join(taskRoot, 'probe.js');
        writeFileSync(
          probe,
          `const v8 = require('node:v8'); let keep = []; let most = 0;
          for (let i = 0; i < 3e6; i++) {
            keep.push({ i }); if (keep.length > 100000) keep = [];
            if (i % 20000 === 0) most = Math.max(most, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
          }
          console.log(JSON.stringify({ execArgv: process.execArgv, newSpaceMb: most / 1048576 }));`,
        );
        // As Lambda's runtime starts node: its own young generation for 512 MB, then its entry script.
        const { stdout } = await run(
          path.join(taskRoot, WRAPPER),
          [process.execPath, '--expose-gc', '--max-semi-space-size=25', probe],
          { env: { PATH: process.env.PATH, NODE_OPTIONS: env.NODE_OPTIONS } },
        );
        const got = JSON.parse(stdout) as { execArgv: string[]; newSpaceMb: number };
        expect(got.execArgv).toEqual([
          '--expose-gc',
          '--max-semi-space-size=25',
          `--max-semi-space-size=${semiSpace}`,
        ]);
        // Two semi-spaces of the deployed size, not of the runtime's 25 MB.
        expect(got.newSpaceMb).toBeLessThanOrEqual(2 * Number(semiSpace));
      } finally {
        rmSync(taskRoot, { recursive: true, force: true });
      }
    },
  );

  it('the wrapper hands on a command line unchanged when NODE_OPTIONS sizes no heap', async () => {
    const probe = path.join(work, 'argv-probe.js');
    writeFileSync(probe, 'console.log(JSON.stringify(process.execArgv));');
    const { stdout } = await run(
      path.join(root, WRAPPER),
      [process.execPath, '--expose-gc', '--max-semi-space-size=25', probe],
      { env: { PATH: process.env.PATH, NODE_OPTIONS: '--enable-source-maps' } },
    );
    expect(JSON.parse(stdout)).toEqual(['--expose-gc', '--max-semi-space-size=25']);
  });

  it.each(['slack', 'poller'])(
    'the zipped %s bundle and the AWS clients it loads on first use load on their own (no node_modules, no network)',
    async (name) => {
      const zip = zips.get(name) ?? Buffer.alloc(0);
      const taskRoot = unzipTo(zip, name);
      try {
        const env = packagedEnvironment(name);
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
            // The packaged NODE_OPTIONS: node must accept every flag of it.
            NODE_OPTIONS: `--require ${path.join(work, 'no-network.cjs')} ${env.NODE_OPTIONS ?? ''}`,
          },
        });
        expect(stdout.trim()).toBe('function function function');
      } finally {
        rmSync(taskRoot, { recursive: true, force: true });
      }
    },
  );
});
