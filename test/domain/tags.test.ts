import { describe, expect, it } from 'vitest';
import { parseItems } from '../../src/domain/paths';
import { countKinds, itemKind, normaliseTag, TAG_LIMITS } from '../../src/domain/tags';
import { prng } from '../support/prng';

describe('normaliseTag', () => {
  it.each([
    ['a plain tag', '#product-42', '#product-42'],
    ['upper case is folded (CloudFront matches tags case-insensitively)', '#Release_A', '#release_a'],
    ['punctuation inside the visible ASCII range', '#a!b$c/d:e', '#a!b$c/d:e'],
    ['a # inside the name', '#a#b', '#a#b'],
    ['exactly 256 characters', `#${'x'.repeat(256)}`, `#${'x'.repeat(256)}`],
  ])('accepts %s', (_name, raw, tag) => {
    expect(normaliseTag(raw)).toEqual({ ok: true, tag });
  });

  it.each([
    ['no name', '#', 'tag-empty'],
    ['257 characters', `#${'x'.repeat(257)}`, 'tag-too-long'],
    ['a wildcard', '#release-*', 'tag-wildcard'],
    ['a comma', '#a,b', 'tag-comma'],
    ['a space', '#a b', 'tag-character'],
    ['a tab', '#a\tb', 'tag-character'],
    ['a non-ASCII letter', '#café', 'tag-character'],
    ['DEL (127)', '#a\u007fb', 'tag-character'],
  ] as const)('rejects %s', (_name, raw, code) => {
    const result = normaliseTag(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe(code);
  });

  it('property: every visible ASCII name without "," or "*" up to the limit is accepted, lower-cased', () => {
    const next = prng(1313);
    for (let i = 0; i < 500; i++) {
      const length = 1 + Math.floor(next() * TAG_LIMITS.maxLength);
      let name = '';
      while (name.length < length) {
        const c = String.fromCharCode(33 + Math.floor(next() * 94));
        if (c !== ',' && c !== '*') name += c;
      }
      const result = normaliseTag(`#${name}`);
      expect(result).toEqual({ ok: true, tag: `#${name.toLowerCase()}` });
      // Normalising is idempotent: what is sent parses to itself.
      if (result.ok) expect(normaliseTag(result.tag)).toEqual(result);
    }
  });

  it('property: a name holding any character outside 33–126 is refused', () => {
    const next = prng(77);
    for (let i = 0; i < 300; i++) {
      const bad = String.fromCodePoint(
        next() < 0.5 ? Math.floor(next() * 33) : 127 + Math.floor(next() * 2000),
      );
      const at = Math.floor(next() * 5);
      const name = `${'a'.repeat(at)}${bad}b`;
      expect(normaliseTag(`#${name}`).ok).toBe(false);
    }
  });
});

describe('tags among the items of a request', () => {
  it('tells tags from paths by their first character', () => {
    expect(itemKind('#a')).toBe('tag');
    expect(itemKind('/a')).toBe('path');
    expect(countKinds(['/a', '#b', '/c*', '#d'])).toEqual({ paths: 2, tags: 2 });
  });

  it('mixes paths and tags, merges #A and #a as one tag, and does not count tags as wildcards', () => {
    const parsed = parseItems('/index.html\n#Product-1\n#product-1\n/css/*\n#x');
    if (!parsed.ok) throw new Error('expected success');
    expect(parsed.items.map((i) => [i.item, i.kind])).toEqual([
      ['/index.html', 'path'],
      ['#product-1', 'tag'],
      ['/css/*', 'path'],
      ['#x', 'tag'],
    ]);
    expect(parsed.tagCount).toBe(2);
    expect(parsed.wildcardCount).toBe(1);
    expect(parsed.normalised.duplicatesMerged).toBe(1);
  });

  it('names the line of a bad tag', () => {
    const parsed = parseItems('/a\n#ok\n#bad,tag');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors).toEqual([
        { line: 3, text: '#bad,tag', message: 'a cache tag cannot contain a comma' },
      ]);
    }
  });

  it('a # after a path is still a fragment, not a tag', () => {
    const parsed = parseItems('/a#section');
    if (!parsed.ok) throw new Error('expected success');
    expect(parsed.items.map((i) => i.item)).toEqual(['/a']);
    expect(parsed.normalised.fragmentsDropped).toBe(1);
  });
});
