import { describe, expect, it } from 'vitest';
import {
  escapeAndTruncate,
  escapeMrkdwn,
  groupThousands,
  mention,
  plural,
  slackDate,
  toPlainText,
  truncate,
} from '../../../src/slack/messages/mrkdwn';

describe('mrkdwn', () => {
  it('escapes the three control characters and nothing else', () => {
    expect(escapeMrkdwn('a & b <@U1> *bold* `x`')).toBe('a &amp; b &lt;@U1&gt; *bold* `x`');
  });

  it.each([
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['longer than ten', 10, 'longer th…'],
    ['ab😀😀😀', 5, 'ab😀…'],
  ])('truncate(%j, %d) = %j', (text, max, expected) => {
    const out = truncate(text, max);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(max);
  });

  it('never cuts an escape in half', () => {
    const out = escapeAndTruncate('&&&&&', 12);
    expect(out).toBe('&amp;&amp;…');
    expect(escapeAndTruncate('a<b', 10)).toBe('a&lt;b');
  });

  it('mentions users and user groups the way Slack expects', () => {
    expect(mention('U01ALICE')).toBe('<@U01ALICE>');
    expect(mention('W01ALICE')).toBe('<@W01ALICE>');
    expect(mention('S01SRE')).toBe('<!subteam^S01SRE>');
  });

  it.each([
    0,
    1,
    -1,
    7,
    999,
    1_000,
    -1_000,
    3_000,
    12_345,
    999_999,
    1_000_000,
    -98_765_432,
    Number.MAX_SAFE_INTEGER,
    1.5,
    -2_500.25,
  ])('groups %d into thousands exactly as en-US does', (n) => {
    expect(groupThousands(n)).toBe(n.toLocaleString('en-US'));
  });

  it('counts things with the plural form only when not one', () => {
    expect(plural(1, 'path')).toBe('1 path');
    expect(plural(3_000, 'path')).toBe('3,000 paths');
    expect(plural(2, 'person', 'people')).toBe('2 people');
  });

  it('formats dates for each reader, with a UTC fallback', () => {
    expect(slackDate('2024-05-01T10:07:00.000Z', '{ago}')).toBe(
      '<!date^1714558020^{ago}|2024-05-01 10:07 UTC>',
    );
    expect(slackDate('not a <date>', '{ago}')).toBe('not a &lt;date&gt;');
  });
});

describe('toPlainText', () => {
  it.each([
    ['only <@U0ALICE01> can request', 'only @U0ALICE01 can request'],
    ['approvers: <!subteam^S0SRE|@sre>, <!subteam^S0OPS>', 'approvers: @group S0SRE, @group S0OPS'],
    ['use `www` &amp; `staging` &lt;here&gt;', 'use www & staging <here>'],
  ])('%s', (input, expected) => {
    expect(toPlainText(input)).toBe(expected);
  });
});
