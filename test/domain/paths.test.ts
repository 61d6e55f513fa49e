import { describe, expect, it } from 'vitest';
import {
  formatPathErrors,
  type Normalisation,
  PATH_LIMITS,
  type ParsedPaths,
  parseItems,
  parsePaths,
} from '../../src/domain/paths';
import { prng } from '../support/prng';

function accepted(result: ParsedPaths): { paths: string[]; wildcardCount: number } {
  if (!result.ok)
    throw new Error(`expected the paths to be accepted, got:\n${formatPathErrors(result.errors)}`);
  return result;
}

function rejected(result: ParsedPaths) {
  if (result.ok) throw new Error(`expected errors, got paths ${JSON.stringify(result.paths)}`);
  return result;
}

/** `count` distinct paths, one per line: /p0, /p1, … */
function manyPaths(count: number, suffix = ''): string {
  return Array.from({ length: count }, (_, i) => `/p${i}${suffix}`).join('\n');
}

describe('parsePaths: what is accepted and how it is normalised', () => {
  it.each([
    ['a plain path', '/index.html', ['/index.html']],
    ['surrounding whitespace', '  \t/a/b.css  ', ['/a/b.css']],
    ['non-breaking and zero-width spaces pasted around it', '\u00A0\u200B/a\u200B', ['/a']],
    ['a query string', '/a?x=1', ['/a']],
    ['a query string and fragment', '/a?x=1#y', ['/a']],
    ['a fragment before a "?"', '/a#frag?x=1', ['/a']],
    ['a full URL with port and query', 'https://example.com:8443/a/b.png?x=1', ['/a/b.png']],
    ['a URL with userinfo', 'http://user:secret@example.com/a', ['/a']],
    ['an upper-case scheme; the path keeps its case', 'HTTPS://Example.COM/Images/A.JPG', ['/Images/A.JPG']],
    ['a URL without a path', 'https://example.com', ['/']],
    ['a URL with only a query', 'https://example.com?x=1', ['/']],
    ['a URL with an encoded path', 'https://example.com/caf%C3%A9?q', ['/caf%C3%A9']],
    ['a space', '/a b.html', ['/a%20b.html']],
    ['an already-encoded space', '/a%20b', ['/a%20b']],
    ['an already-encoded sequence in lower case (kept as typed)', '/caf%c3%a9', ['/caf%c3%a9']],
    ['a bare % at the end', '/100%', ['/100%25']],
    ['a % not followed by two hex digits', '/a%zz/b%2', ['/a%25zz/b%252']],
    ['é', '/café', ['/caf%C3%A9']],
    ['日本', '/日本/x', ['/%E6%97%A5%E6%9C%AC/x']],
    ['an emoji (astral plane)', '/😀', ['/%F0%9F%98%80']],
    ['the unsafe ASCII characters', '/a"<>\\^`{|}[]', ['/a%22%3C%3E%5C%5E%60%7B%7C%7D%5B%5D']],
    ['a tab inside', '/a\tb', ['/a%09b']],
    ['control characters and DEL', '/a\u0001b\u007f', ['/a%01b%7F']],
    ['legal path characters stay as typed', "/A-z_0.9~!$&'()+,;=:@/", ["/A-z_0.9~!$&'()+,;=:@/"]],
    ['a trailing wildcard', '/images/*', ['/images/*']],
    ['a wildcard with a partial name', '/images/logo*', ['/images/logo*']],
    ['a wildcard URL', 'https://example.com/css/*?v=2', ['/css/*']],
  ])('%s', (_name, input, expected) => {
    expect(accepted(parsePaths(input)).paths).toEqual(expected);
  });

  it.each([
    ['blank and whitespace-only lines', '\n\n/a\n   \n\t\n/b\n', ['/a', '/b']],
    ['CRLF line endings', '/a\r\n/b\r\n/c', ['/a', '/b', '/c']],
    ['old Mac CR line endings', '/a\r/b', ['/a', '/b']],
    ['exact duplicates, first kept, order preserved', '/b\n/a\n/b\n/c\n/a', ['/b', '/a', '/c']],
    ['duplicates after encoding', '/a b\n/a%20b', ['/a%20b']],
    ['duplicates after dropping the query', '/a?v=1\n/a?v=2\n/a', ['/a']],
    ['a URL and its path', 'https://example.com/a\n/a', ['/a']],
    [
      'the same name in another case is another path',
      '/Images/A.jpg\n/images/a.jpg',
      ['/Images/A.jpg', '/images/a.jpg'],
    ],
  ])('lines mode: %s', (_name, input, expected) => {
    expect(accepted(parsePaths(input)).paths).toEqual(expected);
  });

  it('words mode splits on any whitespace', () => {
    expect(accepted(parsePaths('  /a /b\t/c\n/d\r\n https://x.io/e?q ', 'words')).paths).toEqual([
      '/a',
      '/b',
      '/c',
      '/d',
      '/e',
    ]);
  });

  it('lines mode keeps a space inside a line as part of the path', () => {
    expect(accepted(parsePaths('/a /b')).paths).toEqual(['/a%20/b']);
  });

  it.each([
    ['no wildcard', '/a\n/b', 0],
    ['two wildcards', '/a/*\n/b\n/c*', 2],
    ['a duplicate wildcard counts once', '/a/*\n/a/*', 1],
  ])('counts wildcard paths: %s', (_name, input, expected) => {
    expect(accepted(parsePaths(input)).wildcardCount).toBe(expected);
  });
});

describe('parsePaths: errors name the line', () => {
  it.each([
    ['a relative path', 'index.html', 1, 'must start with /'],
    ['a query only', '?x=1', 1, 'must start with /'],
    ['another scheme', 'ftp://example.com/a', 1, 'must start with /'],
    ['a scheme without a host', 'https://', 1, 'must start with /'],
    ['* in the middle', '/a/*/b', 1, '* is only allowed as the last character'],
    ['two trailing stars', '/a**', 1, '* is only allowed as the last character'],
    ['* in the middle of a URL', 'https://example.com/*/x', 1, '* is only allowed as the last character'],
    ['an unpaired surrogate', '/a\uD800b', 1, 'unpaired'],
    ['a bad path after blank lines', '/a\n\n\nb', 4, 'must start with /'],
  ])('%s', (_name, input, line, message) => {
    const { errors } = rejected(parsePaths(input));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(line);
    expect(errors[0]?.message).toContain(message);
  });

  it('collects every bad line, not just the first, in line order', () => {
    const { errors, moreErrors } = rejected(parsePaths('/ok\nindex.html\n/a/*/b\r\n/fine\nimg.png'));
    expect(errors.map((e) => [e.line, e.text])).toEqual([
      [2, 'index.html'],
      [3, '/a/*/b'],
      [5, 'img.png'],
    ]);
    expect(moreErrors).toBe(0);
  });

  it('in words mode the line is the position of the word', () => {
    const { errors } = rejected(parsePaths('index.html /a /b/*/c', 'words'));
    expect(errors.map((e) => e.line)).toEqual([1, 3]);
  });

  it.each([
    ['an empty submission', '', 'lines'],
    ['whitespace only', '  \n\t\r\n  ', 'lines'],
    ['an empty quick form', '   ', 'words'],
  ] as const)('%s: "no paths given"', (_name, input, mode) => {
    const { errors } = rejected(parsePaths(input, mode));
    expect(errors).toEqual([{ line: 0, text: '', message: 'no paths given' }]);
  });

  it('quotes at most ~80 characters of the offending line, with an ellipsis', () => {
    const { errors } = rejected(parsePaths(`x${'y'.repeat(200)}`));
    const text = errors[0]?.text ?? '';
    expect(Array.from(text)).toHaveLength(PATH_LIMITS.maxQuotedLength);
    expect(text.endsWith('…')).toBe(true);
    expect(text.startsWith('xyyy')).toBe(true);
  });

  it('does not cut an emoji in half when quoting', () => {
    const { errors } = rejected(parsePaths('😀'.repeat(100)));
    expect(errors[0]?.text).toBe(`${'😀'.repeat(PATH_LIMITS.maxQuotedLength - 1)}…`);
  });

  it('caps the listed errors and counts the rest', () => {
    const input = Array.from({ length: 25 }, (_, i) => `bad${i}`).join('\n');
    const { errors, moreErrors } = rejected(parsePaths(input));
    expect(errors).toHaveLength(PATH_LIMITS.maxReportedErrors);
    expect(moreErrors).toBe(25 - PATH_LIMITS.maxReportedErrors);
    expect(errors[0]?.line).toBe(1);
  });
});

describe('parsePaths: CloudFront limits', () => {
  it('accepts a path of exactly 4,000 characters and rejects 4,001', () => {
    expect(accepted(parsePaths(`/${'a'.repeat(3999)}`)).paths[0]).toHaveLength(4000);
    const { errors } = rejected(parsePaths(`/ok\n/${'a'.repeat(4000)}`));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(2);
    expect(errors[0]?.message).toContain('4,001');
    expect(errors[0]?.message).toContain('4,000');
  });

  it('counts the length after encoding', () => {
    // 701 characters as typed, 1 + 700 * 6 = 4,201 once é becomes %C3%A9.
    const { errors } = rejected(parsePaths(`/${'é'.repeat(700)}`));
    expect(errors[0]?.message).toContain('4,201');
  });

  it('accepts 100,000 items and rejects 100,001, naming the first line over the limit', () => {
    expect(accepted(parsePaths(manyPaths(PATH_LIMITS.maxItems))).paths).toHaveLength(100_000);
    const { errors } = rejected(parsePaths(manyPaths(PATH_LIMITS.maxItems + 1)));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(100_001);
    expect(errors[0]?.text).toBe('/p100000');
    expect(errors[0]?.message).toContain('100,001');
    expect(errors[0]?.message).toContain('100,000');
  });

  it('counts distinct paths against the limit, so duplicates do not push it over', () => {
    expect(accepted(parsePaths(`${manyPaths(PATH_LIMITS.maxItems)}\n/p0\n/p1`)).paths).toHaveLength(100_000);
  });

  it('more than one invalidation holds (3,000 paths, 15 wildcards) is accepted: it is split into batches', () => {
    expect(accepted(parsePaths(manyPaths(3001))).paths).toHaveLength(3001);
    expect(accepted(parsePaths(manyPaths(16, '/*'))).wildcardCount).toBe(16);
  });

  it('rejects items that together exceed 8,000,000 characters, naming the line that crosses it', () => {
    const line = (i: number) => `/${String(i).padStart(4, '0')}${'a'.repeat(3995)}`; // 4,000 characters
    const fits = Array.from({ length: 2000 }, (_, i) => line(i)).join('\n'); // exactly 8,000,000
    expect(accepted(parsePaths(fits)).paths).toHaveLength(2000);
    const { errors } = rejected(parsePaths(`${fits}\n${line(2000)}`));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(2001);
    expect(errors[0]?.message).toContain('8,004,000');
    expect(errors[0]?.message).toContain('8,000,000');
  });

  it('reports limit errors together with line errors, sorted by line', () => {
    const input = `index.html\n${manyPaths(PATH_LIMITS.maxItems + 1)}`;
    const { errors } = rejected(parsePaths(input));
    expect(errors.map((e) => e.line)).toEqual([1, 100_002]);
  });
});

/** parseItems' `normalised` report: the counts given, every other count 0. */
function normalised(counts: Partial<Normalisation>): Normalisation {
  return { duplicatesMerged: 0, queryStringsDropped: 0, fragmentsDropped: 0, encoded: 0, ...counts };
}

describe('parseItems: what was normalised, and where URLs came from', () => {
  it.each([
    ['nothing', '/a\n/b', normalised({})],
    ['two duplicates', '/a\n/a\n/b\n/a', normalised({ duplicatesMerged: 2 })],
    [
      'query strings from three URLs',
      'https://x.com/a?v=1\nhttps://x.com/b?v=2\n/c?x',
      normalised({ queryStringsDropped: 3 }),
    ],
    ['an empty query is not a dropped query', '/a?', normalised({})],
    ['a fragment', '/a#top', normalised({ fragmentsDropped: 1 })],
    ['a ? inside a fragment is no query', '/a#x?y', normalised({ fragmentsDropped: 1 })],
    ['encoded characters', '/a b\n/café\n/ok', normalised({ encoded: 2 })],
    [
      'a duplicate only after normalising counts as merged, and its query is not counted',
      '/a\n/a?v=2',
      normalised({ duplicatesMerged: 1 }),
    ],
  ])('%s', (_name, input, expected) => {
    const parsed = parseItems(input);
    if (!parsed.ok) throw new Error('expected success');
    expect(parsed.normalised).toEqual(expected);
  });

  it.each([
    ['https://WWW.Example.com/a', 'www.example.com'],
    ['https://user:pw@img.example.com:8443/a', 'img.example.com'],
    ['http://example.com./a', 'example.com'],
  ])('the host of %s is %s', (input, host) => {
    const parsed = parseItems(input);
    if (!parsed.ok) throw new Error('expected success');
    expect(parsed.items[0]?.host).toBe(host);
  });

  it('a path has no host, and every item keeps its line', () => {
    const parsed = parseItems('\n/a\n\nhttps://x.com/b');
    if (!parsed.ok) throw new Error('expected success');
    expect(parsed.items.map((i) => [i.line, i.host])).toEqual([
      [2, undefined],
      [4, 'x.com'],
    ]);
  });
});

describe('formatPathErrors', () => {
  it('writes one line per error with the line number, the quoted text and the message', () => {
    const text = formatPathErrors([
      { line: 3, text: '/a/*/b', message: '* is only allowed as the last character' },
    ]);
    expect(text).toBe('line 3: "/a/*/b": * is only allowed as the last character');
  });

  it('leaves out the line and quote for an error about the whole submission', () => {
    expect(formatPathErrors([{ line: 0, text: '', message: 'no paths given' }])).toBe('no paths given');
  });

  it.each([
    [3, 10, 0, 3, undefined],
    [12, 10, 0, 10, '…and 2 more'],
    [12, 5, 0, 5, '…and 7 more'],
    [20, 10, 5, 10, '…and 15 more'],
    [2, 10, 4, 2, '…and 4 more'],
  ])('%i errors, max %i, %i unlisted: shows %i', (total, max, more, shown, tail) => {
    const errors = Array.from({ length: total }, (_, i) => ({ line: i + 1, text: `x${i}`, message: 'bad' }));
    const lines = formatPathErrors(errors, max, more).split('\n');
    expect(lines.filter((l) => l.startsWith('line '))).toHaveLength(shown);
    expect(lines.at(-1)?.startsWith('…')).toBe(tail !== undefined);
    if (tail !== undefined) expect(lines.at(-1)).toBe(tail);
  });

  it('counts the errors a capped parse did not list', () => {
    const input = Array.from({ length: 30 }, (_, i) => `bad${i}`).join('\n');
    const result = rejected(parsePaths(input));
    const text = formatPathErrors(result.errors, 10, result.moreErrors);
    expect(text.split('\n').at(-1)).toBe('…and 20 more');
    expect(text.split('\n')[0]).toBe('line 1: "bad0": must start with / (or be a full http/https URL)');
  });
});

const NASTY = [
  ..."abcXYZ019-._~!$&'()+,;=:@/",
  ...' \t"<>\\^`{|}[]%?#*',
  '%2',
  '%20',
  '%zz',
  '%C3%A9',
  'é',
  '日本',
  '😀',
  '\u0000',
  '\u007f',
  '\u00a0',
  '\u200b',
  'https://example.com',
  'http://u:p@h:8080',
];

function randomText(next: () => number, pieces: readonly string[], maxPieces: number): string {
  const n = Math.floor(next() * maxPieces);
  let s = '';
  for (let i = 0; i < n; i++) s += pieces[Math.floor(next() * pieces.length)] ?? '';
  return s;
}

describe('parsePaths: properties over random input', () => {
  const next = prng(20240611);
  const samples = Array.from({ length: 400 }, () => {
    const body = randomText(next, NASTY, 12);
    // Most samples start like a path, so enough of them are accepted to test what is accepted.
    return next() < 0.8 ? `/${body}` : body;
  });

  it('accepts a good share of the samples (so the properties below are not vacuous)', () => {
    const okCount = samples.filter((s) => parsePaths(s).ok).length;
    expect(okCount).toBeGreaterThan(100);
    expect(okCount).toBeLessThan(samples.length);
  });

  it.each(samples.map((s, i) => [i, s]))(
    'sample %i: accepted paths are well-formed and stable',
    (_i, input) => {
      const result = parsePaths(input);
      if (!result.ok) {
        expect(result.errors.length).toBeGreaterThan(0);
        for (const e of result.errors) expect(e.message).not.toBe('');
        return;
      }
      for (const path of result.paths) {
        expect(path.startsWith('/')).toBe(true);
        expect(path).toMatch(/^[\x21-\x7e]+$/);
        const stars = path.split('*').length - 1;
        expect(stars).toBeLessThanOrEqual(1);
        if (stars === 1) expect(path.endsWith('*')).toBe(true);
        expect(path.length).toBeLessThanOrEqual(PATH_LIMITS.maxPathLength);
        // Encoding is idempotent: an accepted path parses to itself.
        expect(parsePaths(path)).toEqual({ ok: true, paths: [path], wildcardCount: stars });
      }
      expect(new Set(result.paths).size).toBe(result.paths.length);
      expect(result.wildcardCount).toBe(result.paths.filter((p) => p.endsWith('*')).length);
    },
  );

  it('decoding an accepted path gives back what was typed, when the input had no % of its own', () => {
    const gen = prng(7);
    const plain = NASTY.filter((p) => !/[%?#\u200b]|:\/\//.test(p));
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const typed = `/${randomText(gen, plain, 10)}`.trim();
      const result = parsePaths(typed);
      if (!result.ok) continue;
      checked++;
      expect(decodeURIComponent(result.paths[0] ?? '')).toBe(typed);
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('parsing the accepted paths again, as lines or as words, gives the same list', () => {
    const gen = prng(99);
    for (let i = 0; i < 100; i++) {
      const input = Array.from(
        { length: 1 + Math.floor(gen() * 8) },
        () => `/${randomText(gen, NASTY, 6)}`,
      ).join(gen() < 0.5 ? '\n' : '\r\n');
      const result = parsePaths(input);
      if (!result.ok) continue;
      expect(parsePaths(result.paths.join('\n'))).toEqual(result);
      expect(parsePaths(result.paths.join(' '), 'words')).toEqual(result);
    }
  });
});

describe('formatPathErrors in words mode', () => {
  it('names the position among the paths, not a line', () => {
    const result = parsePaths('/ok index.html', 'words');
    if (result.ok) throw new Error('expected an error');
    expect(formatPathErrors(result.errors, 10, 0, 'words')).toMatch(/^path 2: "index\.html"/);
    expect(formatPathErrors(result.errors)).toMatch(/^line 2: /);
  });
});
