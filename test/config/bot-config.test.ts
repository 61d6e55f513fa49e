import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { botConfigSchema } from '../../src/config/bot-config';
import {
  approvalChannelFor,
  ConfigError,
  findDistribution,
  formatPath,
  loadConfig,
} from '../../src/config/load-config';
import { distributionConfig } from '../support/request-fixtures';

const www = { alias: 'www', id: 'E2QWRUHAPOMQZL', approvers: ['U01ALICE'] };
const docs = { alias: 'docs', id: 'E1DOCSDOCSDOCS', approvers: ['S01SREGROUP'] };
const staging = { alias: 'staging', id: 'E3STAGINGSTAGE', requiredApprovals: 0 };
/** Valid on its own and with any requiredApprovals, so a row's override is the only problem. */
const third = { alias: 'cdn', id: 'E4CDNCDNCDNCDN', approvers: ['U03CAROL'] };

function document(distributions: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { approvalChannel: 'C0APPROVALS', distributions, ...extra };
}

/** Loads through the real entry point, so the messages under test are the ones people see. */
function problemsOf(doc: unknown): readonly string[] {
  try {
    loadConfig({ BOT_CONFIG: JSON.stringify(doc) }, () => {
      throw new Error('no file expected');
    });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

const noFile = (): string => {
  throw new Error('readFile must not be called');
};

describe('config schema', () => {
  it('accepts the example from docs/architecture.md as written', () => {
    const example = {
      approvalChannel: 'C0APPROVALS',
      requestExpiryMinutes: 1440,
      distributions: [
        {
          alias: 'www',
          id: 'E2QWRUHAPOMQZL',
          description: 'Public website',
          approvers: ['U01ALICE', 'S01SREGROUP'],
          requiredApprovals: 1,
          allowSelfApproval: false,
          requesters: ['*'],
          channel: 'C0WWWDEPLOYS',
          roleArn: 'arn:aws:iam::123456789012:role/cf-invalidator',
        },
      ],
    };
    // Turn-2 fields are optional and default to today's behaviour.
    expect(botConfigSchema.parse(example)).toEqual({
      ...example,
      remindAfterMinutes: 60,
      distributions: example.distributions.map((d) => ({
        ...d,
        domains: [],
        cacheTags: false,
        breakGlass: [],
        requireReason: false,
      })),
    });
  });

  it('applies the documented defaults', () => {
    const config = botConfigSchema.parse(document([www]));
    expect(config.requestExpiryMinutes).toBe(1440);
    expect(config.remindAfterMinutes).toBe(60);
    // The fixture's distribution is www with every default spelled out: one approval, no
    // self-approval, anyone may request, no domains, tags, break-glass or required reason.
    expect(config.distributions[0]).toEqual(distributionConfig({ description: '', approvers: ['U01ALICE'] }));
  });

  it('accepts the turn-2 fields and normalises domain names to lower case', () => {
    const config = botConfigSchema.parse({
      approvalChannel: 'C0APPROVALS',
      remindAfterMinutes: 0,
      distributions: [
        {
          ...www,
          domains: ['WWW.Example.com', '*.cdn.example.com'],
          cacheTags: true,
          tenantId: 'dt_2abcDEF',
          breakGlass: ['U01ALICE', 'S01ONCALL'],
          requireReason: true,
        },
      ],
    });
    expect(config.remindAfterMinutes).toBe(0);
    expect(config.distributions[0]).toMatchObject({
      domains: ['www.example.com', '*.cdn.example.com'],
      cacheTags: true,
      tenantId: 'dt_2abcDEF',
      breakGlass: ['U01ALICE', 'S01ONCALL'],
      requireReason: true,
    });
  });

  it.each([
    ['a wildcard that is not the whole first label', 'w*.example.com'],
    ['a wildcard deeper than the first label', 'www.*.example.com'],
    ['a URL instead of a host', 'https://www.example.com'],
    ['a single label', 'localhost'],
  ])('rejects a domain that is %s', (_what, domain) => {
    expect(
      problemsOf({ approvalChannel: 'C0APPROVALS', distributions: [{ ...www, domains: [domain] }] }),
    ).toEqual([
      'distributions[0].domains[0]: must be a host name (www.example.com) or one leading wildcard label (*.example.com)',
    ]);
  });

  it('rejects two entries for one target, and allows two tenants of one distribution', () => {
    expect(
      problemsOf({
        approvalChannel: 'C0APPROVALS',
        distributions: [www, { ...www, alias: 'www2' }],
      }),
    ).toEqual([
      'distributions[1].id: distribution E2QWRUHAPOMQZL is already configured as distributions[0] ("www"): one target has one policy',
    ]);
    expect(
      problemsOf({
        approvalChannel: 'C0APPROVALS',
        distributions: [
          { ...www, alias: 'a', tenantId: 'dt_1' },
          { ...www, alias: 'b', tenantId: 'dt_2' },
          { ...www, alias: 'c', tenantId: 'dt_2' },
        ],
      }),
    ).toEqual([
      'distributions[2].tenantId: tenant dt_2 of distribution E2QWRUHAPOMQZL is already configured as distributions[1] ("b"): one target has one policy',
    ]);
  });

  it('rejects a host claimed by two targets', () => {
    expect(
      problemsOf({
        approvalChannel: 'C0APPROVALS',
        distributions: [
          { ...www, domains: ['static.example.com'] },
          { ...www, alias: 'b', id: 'E3OTHERDIST01', domains: ['Static.example.com'] },
        ],
      }),
    ).toEqual([
      'distributions[1].domains[0]: "static.example.com" already belongs to distributions[0] ("www")',
    ]);
  });

  it('does not share default values between parses', () => {
    const first = botConfigSchema.parse(document([www]));
    // The schema types requesters as `'*'[] | string[]`; widen to mutate.
    const requesters: string[] | undefined = first.distributions[0]?.requesters;
    requesters?.push('U02BOB');
    const second = botConfigSchema.parse(document([www]));
    expect(second.distributions[0]?.requesters).toEqual(['*']);
  });

  it('allows zero required approvals without approvers', () => {
    const config = botConfigSchema.parse(document([staging]));
    expect(config.distributions[0]?.requiredApprovals).toBe(0);
    expect(config.distributions[0]?.approvers).toEqual([]);
  });

  it.each([
    ['an enterprise user id approver', { ...www, approvers: ['W01ENTERPRISE'] }],
    ['a user-group approver', { ...www, approvers: ['S01SREGROUP'] }],
    ['requesters as users and groups', { ...www, requesters: ['U02BOB', 'S02DEVS'] }],
    ['allowSelfApproval true', { ...www, allowSelfApproval: true }],
    ['ten required approvals from a group', { ...www, approvers: ['S01SREGROUP'], requiredApprovals: 10 }],
    [
      'two required approvals from two people',
      { ...www, approvers: ['U01ALICE', 'U02BOB'], requiredApprovals: 2 },
    ],
    ['a private channel override', { ...www, channel: 'G0PRIVATE' }],
    ['a role ARN in another partition', { ...www, roleArn: 'arn:aws-cn:iam::123456789012:role/path/cf' }],
    ['an alias with dots, dashes and underscores', { ...www, alias: 'eu.www-2_b' }],
  ])('accepts %s', (_name, distribution) => {
    expect(botConfigSchema.safeParse(document([distribution])).success).toBe(true);
  });

  it.each([43_200, 1])('accepts requestExpiryMinutes %i', (minutes) => {
    expect(botConfigSchema.safeParse(document([www], { requestExpiryMinutes: minutes })).success).toBe(true);
  });
});

describe('config problems name the field', () => {
  // Each bad distribution is placed third, so the message must carry the nested index.
  it.each([
    ['alias', { alias: 'WWW' }, 'distributions[2].alias: must be lower-case letters'],
    ['alias', { alias: '' }, 'distributions[2].alias: must be lower-case letters'],
    ['alias', { alias: 'a'.repeat(64) }, 'distributions[2].alias: must be lower-case letters'],
    ['id', { id: 'e2qwruhapomqzl' }, 'distributions[2].id: must look like a CloudFront distribution id (E…)'],
    ['id', { id: 'X2QWRUHAPOMQZL' }, 'distributions[2].id: must look like a CloudFront distribution id (E…)'],
    [
      'description',
      { description: 'x'.repeat(201) },
      'distributions[2].description: must be at most 200 characters',
    ],
    [
      'approvers',
      { approvers: ['U01ALICE', 'alice'] },
      'distributions[2].approvers[1]: must be a Slack user id (U…/W…) or user-group id (S…)',
    ],
    ['approvers', { approvers: 'U01ALICE' }, 'distributions[2].approvers: must be a list (got a string)'],
    [
      'requiredApprovals',
      { requiredApprovals: -1 },
      'distributions[2].requiredApprovals: must be at least 0',
    ],
    [
      'requiredApprovals',
      { approvers: ['U01ALICE'], requiredApprovals: 2 },
      'distributions[2].requiredApprovals: needs 2 approvals but only 1 approver(s) are listed, so no request could ever be approved',
    ],
    ['unknown field', { requiredAprovals: 2 }, 'distributions[2]: unknown field "requiredAprovals"'],
    [
      'requiredApprovals',
      { requiredApprovals: 11 },
      'distributions[2].requiredApprovals: must be at most 10',
    ],
    [
      'requiredApprovals',
      { requiredApprovals: 1.5 },
      'distributions[2].requiredApprovals: must be a whole number (got a fraction)',
    ],
    [
      'requiredApprovals',
      { requiredApprovals: '2' },
      'distributions[2].requiredApprovals: must be a number (got a string)',
    ],
    [
      'allowSelfApproval',
      { allowSelfApproval: 'yes' },
      'distributions[2].allowSelfApproval: must be true or false',
    ],
    ['requesters', { requesters: [] }, 'distributions[2].requesters: must be ["*"] or a non-empty list'],
    ['requesters', { requesters: '*' }, 'distributions[2].requesters: must be ["*"] or a non-empty list'],
    [
      'requesters',
      { requesters: ['U02BOB', 'bob'] },
      'distributions[2].requesters[1]: must be a Slack user id (U…/W…) or user-group id (S…)',
    ],
    [
      'requesters',
      { requesters: ['*', 'U02BOB'] },
      'distributions[2].requesters[0]: "*" (anyone) must be the only entry',
    ],
    [
      'channel',
      { channel: '#general' },
      'distributions[2].channel: must be a Slack channel id (C…, G… or D…)',
    ],
    ['roleArn', { roleArn: 'arn:aws:iam::123:role/x' }, 'distributions[2].roleArn: must be an IAM role ARN'],
    [
      'roleArn',
      { roleArn: 'arn:aws:iam::123456789012:user/x' },
      'distributions[2].roleArn: must be an IAM role ARN',
    ],
  ])('rejects a bad %s: %j', (_field, override, expected) => {
    const problems = problemsOf(document([www, docs, { ...third, ...override }]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it.each([
    [{ approvalChannel: undefined }, 'approvalChannel: is required'],
    [{ approvalChannel: 'general' }, 'approvalChannel: must be a Slack channel id (C…, G… or D…)'],
    [{ requestExpiryMinutes: 0 }, 'requestExpiryMinutes: must be at least 1'],
    [{ requestExpiryMinutes: 43_201 }, 'requestExpiryMinutes: must be at most 43200'],
    [{ distributions: [] }, 'distributions: must list at least one distribution'],
    [{ distributions: undefined }, 'distributions: is required'],
    [{ distributions: {} }, 'distributions: must be a list (got an object)'],
  ])('rejects top-level %j', (override, expected) => {
    expect(problemsOf(document([www], override))).toEqual([expected]);
  });

  it.each([
    [[], '(the whole document): must be an object (got a list)'],
    [null, '(the whole document): must be an object (got null)'],
    ['www', '(the whole document): must be an object (got a string)'],
  ])('rejects a document that is not an object: %j', (doc, expected) => {
    expect(problemsOf(doc)).toEqual([expected]);
  });

  it('rejects duplicate aliases, naming both positions', () => {
    const problems = problemsOf(document([www, docs, { ...staging, alias: 'www' }]));
    expect(problems).toEqual(['distributions[2].alias: duplicate alias "www" (also distributions[0])']);
  });

  it('rejects required approvals without approvers', () => {
    const problems = problemsOf(document([www, { ...docs, approvers: [], requiredApprovals: 2 }]));
    expect(problems).toEqual([
      'distributions[1].approvers: requiredApprovals is 2 but no approvers are listed',
    ]);
  });

  it('rejects the default of one required approval when no approvers are listed', () => {
    const problems = problemsOf(document([{ alias: 'www', id: 'E2QWRUHAPOMQZL' }]));
    expect(problems).toEqual([
      'distributions[0].approvers: requiredApprovals is 1 but no approvers are listed',
    ]);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      requestExpiryMinutes: 0,
      distributions: [www, { ...docs, id: 'nope', approvers: ['U01ALICE', 'x'] }],
    });
    expect(problems).toEqual([
      'approvalChannel: is required',
      'requestExpiryMinutes: must be at least 1',
      'distributions[1].id: must look like a CloudFront distribution id (E…)',
      'distributions[1].approvers[1]: must be a Slack user id (U…/W…) or user-group id (S…)',
    ]);
  });
});

describe('loadConfig', () => {
  it('reads the JSON from BOT_CONFIG and applies defaults', () => {
    const config = loadConfig({ BOT_CONFIG: JSON.stringify(document([www, staging])) }, noFile);
    expect(config.distributions.map((d) => [d.alias, d.requiredApprovals, d.requesters])).toEqual([
      ['www', 1, ['*']],
      ['staging', 0, ['*']],
    ]);
  });

  it('reads the file named by BOT_CONFIG_FILE through the injected reader', () => {
    const read: string[] = [];
    const config = loadConfig({ BOT_CONFIG_FILE: '/etc/bot/config.json' }, (path) => {
      read.push(path);
      return JSON.stringify(document([docs]));
    });
    expect(read).toEqual(['/etc/bot/config.json']);
    expect(config.distributions[0]?.alias).toBe('docs');
  });

  it('reads a real file with fs.readFileSync, byte-order mark and all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bot-config-'));
    try {
      const path = join(dir, 'config.json');
      writeFileSync(path, `\uFEFF${JSON.stringify(document([www], { requestExpiryMinutes: 60 }), null, 2)}`);
      const config = loadConfig({ BOT_CONFIG_FILE: path }, (p) => readFileSync(p, 'utf8'));
      expect(config.requestExpiryMinutes).toBe(60);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('treats a blank variable as unset', () => {
    const config = loadConfig({ BOT_CONFIG: '  ', BOT_CONFIG_FILE: '/c.json' }, () =>
      JSON.stringify(document([staging])),
    );
    expect(config.distributions[0]?.alias).toBe('staging');
  });

  it.each([
    [{}, /set BOT_CONFIG \(the JSON itself\) or BOT_CONFIG_FILE/],
    [{ BOT_CONFIG: '', BOT_CONFIG_FILE: '' }, /set BOT_CONFIG \(the JSON itself\) or BOT_CONFIG_FILE/],
    [
      { BOT_CONFIG: '{}', BOT_CONFIG_FILE: '/c.json' },
      /set only one of BOT_CONFIG or BOT_CONFIG_FILE, not both/,
    ],
  ])('refuses an ambiguous or missing source: %j', (env, expected) => {
    expect(() => loadConfig(env, noFile)).toThrow(expected);
  });

  it('names the file and the reason when the file cannot be read', () => {
    const error = catchConfigError(() =>
      loadConfig({ BOT_CONFIG_FILE: '/missing.json' }, (p) => readFileSync(p, 'utf8')),
    );
    expect(error.name).toBe('ConfigError');
    expect(error.source).toBe('BOT_CONFIG_FILE=/missing.json');
    expect(error.message).toContain('BOT_CONFIG_FILE=/missing.json');
    expect(error.message).toMatch(/cannot read the file: ENOENT/);
  });

  it.each([
    // Node 22+ names the line and column itself (without the comma); Node 20 only the position.
    ['{\n  "approvalChannel": "C0A",\n}', /not valid JSON: .*position 30 \(line 3,? column 1\)/],
    ['{"approvalChannel": "C0A"', /not valid JSON: .* \(line 1,? column 26\)/],
    ['', /not valid JSON: Unexpected end of JSON input \(line 1, column 1\)/],
    ['{"a":}', /not valid JSON: Unexpected token/],
  ])('says where the JSON is broken: %j', (text, expected) => {
    const error = catchConfigError(() => loadConfig({ BOT_CONFIG_FILE: '/etc/bot.json' }, () => text));
    expect(error.message).toContain('BOT_CONFIG_FILE=/etc/bot.json');
    expect(error.message).toMatch(expected);
  });

  it('names the source and every bad field path in the message', () => {
    const text = JSON.stringify(
      document([www, { ...docs, id: 'D123' }, { ...staging, approvers: ['nobody'] }]),
    );
    const error = catchConfigError(() => loadConfig({ BOT_CONFIG_FILE: '/etc/bot.json' }, () => text));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain('BOT_CONFIG_FILE=/etc/bot.json');
    expect(error.message).toContain('distributions[1].id: must look like a CloudFront distribution id (E…)');
    expect(error.message).toContain(
      'distributions[2].approvers[0]: must be a Slack user id (U…/W…) or user-group id (S…)',
    );
    expect(error.problems).toHaveLength(2);
  });

  it('names BOT_CONFIG as the source without echoing the document', () => {
    const text = JSON.stringify(
      document([{ ...www, description: 'very particular words' }], { approvalChannel: 'x' }),
    );
    const error = catchConfigError(() => loadConfig({ BOT_CONFIG: text }, noFile));
    expect(error.source).toBe('BOT_CONFIG');
    expect(error.message).toBe(
      'Invalid bot config (BOT_CONFIG): approvalChannel: must be a Slack channel id (C…, G… or D…)',
    );
  });
});

describe('findDistribution and approvalChannelFor', () => {
  const config = botConfigSchema.parse(document([www, { ...docs, channel: 'C0DOCS' }]));

  it.each([
    ['www', 'www'],
    ['  WWW ', 'www'],
    ['docs', 'docs'],
    ['ww', undefined],
    ['', undefined],
  ])('finds %j → %s', (alias, expected) => {
    expect(findDistribution(config, alias)?.alias).toBe(expected);
  });

  it('uses the distribution channel when set, the approval channel otherwise', () => {
    const [first, second] = config.distributions;
    if (first === undefined || second === undefined) throw new Error('fixture');
    expect(approvalChannelFor(config, first)).toBe('C0APPROVALS');
    expect(approvalChannelFor(config, second)).toBe('C0DOCS');
  });
});

describe('formatPath', () => {
  it.each([
    [[], '(the whole document)'],
    [['approvalChannel'], 'approvalChannel'],
    [['distributions', 2, 'approvers', 0], 'distributions[2].approvers[0]'],
    [['odd key'], '["odd key"]'],
  ])('%j → %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

function catchConfigError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
