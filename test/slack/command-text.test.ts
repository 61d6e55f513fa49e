import { describe, expect, it } from 'vitest';
import { parseCommand, unescapeCommandText } from '../../src/slack/command-text';

describe('unescapeCommandText', () => {
  it.each([
    ['&lt;b&gt; &amp; c', '<b> & c'],
    ['<https://example.com/a.png?x=1&amp;y=2>', 'https://example.com/a.png?x=1&y=2'],
    ['<https://example.com/a.png|example.com/a.png>', 'https://example.com/a.png'],
    ['/plain/path', '/plain/path'],
    ['&amp;lt;', '&lt;'],
  ])('%s → %s', (input, expected) => {
    expect(unescapeCommandText(input)).toBe(expected);
  });
});

describe('parseCommand', () => {
  it.each([
    ['', { kind: 'modal' }],
    ['   ', { kind: 'modal' }],
    ['help', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['status', { kind: 'status' }],
    ['status 01JD2X3Y4Z5A6B7C8D9E0F1G2H', { kind: 'status', id: '01JD2X3Y4Z5A6B7C8D9E0F1G2H' }],
    ['www', { kind: 'modal', alias: 'www' }],
    [
      'www /index.html',
      { kind: 'quick', alias: 'www', pathsText: '/index.html', reason: '', breakGlass: false },
    ],
    ['www  /a\t/b', { kind: 'quick', alias: 'www', pathsText: '/a /b', reason: '', breakGlass: false }],
    [
      'www <https://example.com/a|example.com/a>',
      { kind: 'quick', alias: 'www', pathsText: 'https://example.com/a', reason: '', breakGlass: false },
    ],
    [
      'www /index.html -- hotfix 42',
      { kind: 'quick', alias: 'www', pathsText: '/index.html', reason: 'hotfix 42', breakGlass: false },
    ],
    [
      'www --break-glass /a /b -- site down -- really',
      { kind: 'quick', alias: 'www', pathsText: '/a /b', reason: 'site down -- really', breakGlass: true },
    ],
    // Only a standalone `--` starts the reason; the flag after it is part of the reason.
    [
      'www /a--b -- see --break-glass',
      { kind: 'quick', alias: 'www', pathsText: '/a--b', reason: 'see --break-glass', breakGlass: false },
    ],
    ['www --BREAK-GLASS', { kind: 'quick', alias: 'www', pathsText: '', reason: '', breakGlass: true }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });
});
