import { describe, expect, it } from 'vitest';
import { hostTable, ownerOfHost, type RoutedEntry, routeEntries } from '../../src/domain/host-routing';
import { parseItems } from '../../src/domain/paths';
import { prng } from '../support/prng';

const table = hostTable([
  { alias: 'www', domains: ['www.example.com', 'example.com'] },
  { alias: 'static', domains: ['*.example.com'] },
  { alias: 'shop-a', domains: ['a.shop.example.net'] },
  { alias: 'shop-b', domains: ['b.shop.example.net'] },
  { alias: 'plain', domains: [] },
]);

describe('ownerOfHost', () => {
  it.each([
    ['an exact name', 'www.example.com', 'www'],
    ['the apex, exact', 'example.com', 'www'],
    ['exact beats the wildcard', 'www.example.com', 'www'],
    ['one label under the wildcard', 'img.example.com', 'static'],
    ['two labels under the wildcard: no match', 'a.b.example.com', undefined],
    ['a tenant host', 'a.shop.example.net', 'shop-a'],
    ['another tenant host of the same distribution', 'b.shop.example.net', 'shop-b'],
    ['an unknown host', 'example.org', undefined],
    ['a host without dots', 'localhost', undefined],
  ])('%s', (_name, host, owner) => {
    expect(ownerOfHost(table, host)).toBe(owner);
  });

  it('property: a random label under a wildcard domain matches it, unless an exact name claims the host', () => {
    const next = prng(4242);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-';
    for (let i = 0; i < 300; i++) {
      let label = 'q';
      const length = 1 + Math.floor(next() * 20);
      for (let j = 0; j < length; j++) label += alphabet[Math.floor(next() * alphabet.length)];
      expect(ownerOfHost(table, `${label}.example.com`)).toBe('static');
      expect(ownerOfHost(table, `${label}.x.example.com`)).toBeUndefined();
      expect(ownerOfHost(table, `${label}example.com`)).toBeUndefined();
    }
  });
});

function entries(text: string): RoutedEntry[] {
  const parsed = parseItems(text);
  if (!parsed.ok) throw new Error('bad test input');
  return parsed.items;
}

describe('routeEntries', () => {
  it('a URL-only request goes to the one target owning every host', () => {
    expect(
      routeEntries(table, undefined, entries('https://img.example.com/a.png\nhttps://CDN.example.com:443/b')),
    ).toEqual({ ok: true, alias: 'static' });
  });

  it('URLs of several targets: every URL is named with its owner', () => {
    const routed = routeEntries(
      table,
      undefined,
      entries('https://www.example.com/a\nhttps://img.example.com/b\nhttps://www.example.com/c'),
    );
    expect(routed).toEqual({
      ok: false,
      errors: [
        {
          line: 1,
          text: 'https://www.example.com/a',
          code: 'several-targets',
          host: 'www.example.com',
          owner: 'www',
        },
        {
          line: 2,
          text: 'https://img.example.com/b',
          code: 'several-targets',
          host: 'img.example.com',
          owner: 'static',
        },
        {
          line: 3,
          text: 'https://www.example.com/c',
          code: 'several-targets',
          host: 'www.example.com',
          owner: 'www',
        },
      ],
    });
  });

  it.each([
    ['a URL of no target', 'https://img.example.com/a\nhttps://example.org/b', [[2, 'no-target']]],
    ['a path in a URL-only request', 'https://img.example.com/a\n/b', [[2, 'not-a-url']]],
    ['a tag in a URL-only request', '#t\nhttps://img.example.com/a', [[1, 'not-a-url']]],
  ])('no distribution picked, %s: the line is named', (_name, text, expected) => {
    const routed = routeEntries(table, undefined, entries(text));
    expect(routed.ok).toBe(false);
    if (!routed.ok) expect(routed.errors.map((e) => [e.line, e.code])).toEqual(expected);
  });

  it('with a distribution picked, a URL of another target is an error naming the line and the owner', () => {
    const routed = routeEntries(
      table,
      'www',
      entries('/a\nhttps://www.example.com/b\nhttps://img.example.com/c'),
    );
    expect(routed).toEqual({
      ok: false,
      errors: [
        {
          line: 3,
          text: 'https://img.example.com/c',
          code: 'other-target',
          host: 'img.example.com',
          owner: 'static',
        },
      ],
    });
  });

  it('with a distribution picked, paths, tags and unclaimed hosts go to it', () => {
    expect(routeEntries(table, 'plain', entries('/a\n#t\nhttps://elsewhere.org/x'))).toEqual({
      ok: true,
      alias: 'plain',
    });
  });

  it('property: any mix of hosts of one target routes to it; adding a host of another names exactly that line', () => {
    const next = prng(99);
    const hosts = ['a.example.com', 'b.example.com', 'zz.example.com'];
    for (let i = 0; i < 100; i++) {
      const count = 1 + Math.floor(next() * 10);
      const lines = Array.from({ length: count }, (_, j) => `https://${hosts[Math.floor(next() * 3)]}/p${j}`);
      expect(routeEntries(table, undefined, entries(lines.join('\n')))).toEqual({
        ok: true,
        alias: 'static',
      });
      const at = Math.floor(next() * (count + 1));
      lines.splice(at, 0, 'https://www.example.com/other');
      const routed = routeEntries(table, 'static', entries(lines.join('\n')));
      expect(routed.ok).toBe(false);
      if (!routed.ok) expect(routed.errors.map((e) => e.line)).toEqual([at + 1]);
    }
  });
});
