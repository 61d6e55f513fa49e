import { describe, expect, it } from 'vitest';
import { DEV_TABLE_NAME, EnvironmentError, parseEnvironment, type Role } from '../../src/config/environment';

const SECRET = 'f00dfeedcafe0123456789abcdef4242';
const BOT = 'xoxb-1111-2222-secretbotpart';
const APP = 'xapp-1-A111-secretapppart';

const minimal: Record<Role, Record<string, string>> = {
  slack: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT, TABLE_NAME: 'invalidations' },
  poller: { SLACK_BOT_TOKEN: BOT, TABLE_NAME: 'invalidations' },
  dev: { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP },
};

function problemsOf(env: Record<string, string | undefined>, role: Role): readonly string[] {
  try {
    parseEnvironment(env, role);
  } catch (error) {
    if (error instanceof EnvironmentError) return error.problems;
    throw error;
  }
  throw new Error('expected the environment to be rejected');
}

describe('parseEnvironment: defaults', () => {
  it.each(['slack', 'poller', 'dev'] as const)('applies the defaults for %s', (role) => {
    const env = parseEnvironment(minimal[role], role);
    expect(env).toMatchObject({
      dryRun: false,
      pollIntervalMs: 10_000,
      pollBudgetMs: 50_000,
      stillInProgressAfterMs: 300_000,
      port: 3000,
    });
    expect(env.slackApiUrl).toBeUndefined();
    expect(env.dynamodbEndpoint).toBeUndefined();
    expect(env.cloudfrontEndpoint).toBeUndefined();
  });

  it('returns the Slack role its signing secret', () => {
    const env = parseEnvironment(minimal.slack, 'slack');
    expect(env.signingSecret).toBe(SECRET);
    expect(env.botToken).toBe(BOT);
    expect(env.tableName).toBe('invalidations');
    expect(env.appToken).toBeUndefined();
  });

  it('defaults the table name in dev only', () => {
    expect(parseEnvironment(minimal.dev, 'dev').tableName).toBe(DEV_TABLE_NAME);
    expect(DEV_TABLE_NAME).toBe('cloudfront-invalidations');
    expect(parseEnvironment({ ...minimal.dev, TABLE_NAME: 'mine' }, 'dev').tableName).toBe('mine');
  });

  it('reads every variable when set', () => {
    const env = parseEnvironment(
      {
        ...minimal.slack,
        SLACK_APP_TOKEN: APP,
        SLACK_API_URL: 'http://127.0.0.1:4010/api/',
        DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
        CLOUDFRONT_ENDPOINT: 'https://cloudfront.test:4443',
        DRY_RUN: 'true',
        POLL_INTERVAL_MS: '250',
        POLL_BUDGET_MS: '0',
        STILL_IN_PROGRESS_AFTER_MS: '60000',
        PORT: '0',
      },
      'slack',
    );
    expect(env).toEqual({
      signingSecret: SECRET,
      botToken: BOT,
      appToken: APP,
      slackApiUrl: 'http://127.0.0.1:4010/api/',
      tableName: 'invalidations',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      cloudfrontEndpoint: 'https://cloudfront.test:4443',
      dryRun: true,
      pollIntervalMs: 250,
      pollBudgetMs: 0,
      stillInProgressAfterMs: 60_000,
      port: 0,
    });
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['False', false],
    ['false', false],
    ['', false],
  ])('reads DRY_RUN=%j as %s', (value, expected) => {
    expect(parseEnvironment({ ...minimal.poller, DRY_RUN: value }, 'poller').dryRun).toBe(expected);
  });

  it('trims values and treats blank ones as unset', () => {
    const env = parseEnvironment(
      { ...minimal.poller, SLACK_BOT_TOKEN: ` ${BOT}\n`, PORT: '   ', SLACK_API_URL: '' },
      'poller',
    );
    expect(env.botToken).toBe(BOT);
    expect(env.port).toBe(3000);
    expect(env.slackApiUrl).toBeUndefined();
  });
});

describe('parseEnvironment: required variables per role', () => {
  it.each([
    ['slack', 'SLACK_SIGNING_SECRET'],
    ['slack', 'SLACK_BOT_TOKEN'],
    ['slack', 'TABLE_NAME'],
    ['poller', 'SLACK_BOT_TOKEN'],
    ['poller', 'TABLE_NAME'],
    ['dev', 'SLACK_BOT_TOKEN'],
  ] as const)('%s needs %s', (role, name) => {
    const env: Record<string, string | undefined> = { ...minimal[role], [name]: undefined };
    // In Lambda roles a secret's SSM parameter may stand in for it (the message says so).
    const standIn =
      role !== 'dev' && name.startsWith('SLACK_') ? ` (or ${name}_PARAM, its SSM parameter)` : '';
    expect(problemsOf(env, role)).toEqual([`${name}: is required${standIn}`]);
    expect(problemsOf({ ...minimal[role], [name]: '  ' }, role)).toEqual([`${name}: is required${standIn}`]);
  });

  it.each(['slack', 'poller'] as const)(
    '%s takes SSM parameter names instead of the secrets, leaving the values for the SSM read',
    (role) => {
      const env = parseEnvironment(
        {
          TABLE_NAME: 'invalidations',
          SLACK_SIGNING_SECRET_PARAM: '/bot/prod/slack-signing-secret',
          SLACK_BOT_TOKEN_PARAM: '/bot/prod/slack-bot-token',
        },
        role,
      );
      expect(env.botToken).toBeUndefined();
      expect(env.signingSecret).toBeUndefined();
      expect(env.botTokenParam).toBe('/bot/prod/slack-bot-token');
      expect(env.signingSecretParam).toBe('/bot/prod/slack-signing-secret');
    },
  );

  it('dev takes no SSM parameter in place of a secret', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN_PARAM: '/bot/dev/token', SLACK_APP_TOKEN: APP }, 'dev')).toEqual([
      'SLACK_BOT_TOKEN: is required',
    ]);
  });

  it('the poller does not need the signing secret', () => {
    expect(parseEnvironment(minimal.poller, 'poller').signingSecret).toBeUndefined();
  });

  it('slack lists every missing variable at once', () => {
    expect(problemsOf({}, 'slack')).toEqual([
      'SLACK_SIGNING_SECRET: is required (or SLACK_SIGNING_SECRET_PARAM, its SSM parameter)',
      'SLACK_BOT_TOKEN: is required (or SLACK_BOT_TOKEN_PARAM, its SSM parameter)',
      'TABLE_NAME: is required',
    ]);
  });

  it('dev lists all missing Slack tokens at once', () => {
    expect(problemsOf({}, 'dev')).toEqual([
      'SLACK_SIGNING_SECRET: is required unless SLACK_APP_TOKEN is set (Socket Mode)',
      'SLACK_BOT_TOKEN: is required',
    ]);
  });

  it.each([
    [{ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }, 'Socket Mode'],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET }, 'HTTP'],
  ])('dev runs with %j (%s)', (env, _mode) => {
    expect(parseEnvironment(env, 'dev').botToken).toBe(BOT);
  });

  it('reports format problems and missing variables together, in table order', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxp-user', DRY_RUN: 'yes' }, 'slack')).toEqual([
      'SLACK_SIGNING_SECRET: is required (or SLACK_SIGNING_SECRET_PARAM, its SSM parameter)',
      'SLACK_BOT_TOKEN: must start with xoxb-',
      'TABLE_NAME: is required',
      'DRY_RUN: must be true or false',
    ]);
  });
});

describe('parseEnvironment: bad values', () => {
  it.each([
    ['SLACK_BOT_TOKEN', 'xoxp-1234-user-token', 'must start with xoxb-'],
    ['SLACK_APP_TOKEN', 'xoxb-not-an-app-token', 'must start with xapp-'],
    ['SLACK_API_URL', 'slack.test/api', 'must be a URL (http:// or https://)'],
    ['SLACK_API_URL', 'ftp://slack.test/api', 'must be a URL (http:// or https://)'],
    ['DYNAMODB_ENDPOINT', 'localhost:8000', 'must be a URL (http:// or https://)'],
    ['CLOUDFRONT_ENDPOINT', 'not a url', 'must be a URL (http:// or https://)'],
    ['TABLE_NAME', 'my table', 'must be a DynamoDB table name (3-255 letters, digits, "_", "-", ".")'],
    ['TABLE_NAME', 'ab', 'must be a DynamoDB table name (3-255 letters, digits, "_", "-", ".")'],
    ['DRY_RUN', 'yes', 'must be true or false'],
    ['DRY_RUN', '1', 'must be true or false'],
    ['POLL_INTERVAL_MS', '0', 'must be a whole number of milliseconds, 1 to 900000'],
    ['POLL_INTERVAL_MS', '10s', 'must be a whole number of milliseconds, 1 to 900000'],
    ['POLL_INTERVAL_MS', '-5', 'must be a whole number of milliseconds, 1 to 900000'],
    ['POLL_BUDGET_MS', '900001', 'must be a whole number of milliseconds, 0 to 900000'],
    ['POLL_BUDGET_MS', '1.5', 'must be a whole number of milliseconds, 0 to 900000'],
    ['STILL_IN_PROGRESS_AFTER_MS', 'soon', 'must be a whole number of milliseconds'],
    ['PORT', '65536', 'must be a port number, 0 to 65535'],
    ['PORT', 'http', 'must be a port number, 0 to 65535'],
  ])('%s=%j: %s', (name, value, message) => {
    expect(problemsOf({ ...minimal.slack, [name]: value }, 'slack')).toEqual([`${name}: ${message}`]);
  });

  it('throws an EnvironmentError naming the role', () => {
    let caught: unknown;
    try {
      parseEnvironment({ ...minimal.poller, PORT: 'x' }, 'poller');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvironmentError);
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toMatchObject({
      name: 'EnvironmentError',
      role: 'poller',
      message: 'Invalid environment (poller): PORT: must be a port number, 0 to 65535',
    });
  });

  it('never puts a value in the message', () => {
    const badBot = 'xoxp-9999-leaked-user-token';
    const badApp = 'xoxb-8888-leaked-in-app-slot';
    let message = '';
    try {
      parseEnvironment(
        {
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_BOT_TOKEN: badBot,
          SLACK_APP_TOKEN: badApp,
          SLACK_API_URL: SECRET,
        },
        'slack',
      );
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toContain('SLACK_BOT_TOKEN: must start with xoxb-');
    for (const secret of [SECRET, badBot, badApp, 'leaked', '9999', '8888']) {
      expect(message).not.toContain(secret);
    }
  });
});
