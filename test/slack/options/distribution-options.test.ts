import { describe, expect, it } from 'vitest';
import { distributionOptions } from '../../../src/slack/options/distribution-options';

/** 300 distributions: alias `site-NNN`, id `E…NNN`, every tenth described as a shop. */
const distributions = Array.from({ length: 300 }, (_, i) => {
  const n = String(i).padStart(3, '0');
  return {
    alias: `site-${n}`,
    id: `EDIST0000${n}`,
    description: i % 10 === 0 ? `Shop front ${n}` : `Website ${n}`,
  };
});

const values = (query: string) => distributionOptions(distributions, query).options.map((o) => o.value);

describe('distributionOptions', () => {
  it("returns at most Slack's 100 options for an empty query", () => {
    const { options } = distributionOptions(distributions, '');
    expect(options).toHaveLength(100);
    expect(options[0]?.value).toBe('site-000');
  });

  it.each<[string, string, string[]]>([
    ['alias, any case', 'SITE-12', Array.from({ length: 10 }, (_, i) => `site-12${i}`)],
    ['id', 'edist0000299', ['site-299']],
    ['description', 'shop front 29', ['site-290']],
  ])('matches on %s', (_name, query, expectedStart) => {
    expect(values(query).slice(0, expectedStart.length)).toEqual(expectedStart);
    expect(values(query)).toHaveLength(expectedStart.length);
    for (const value of values(query)) {
      const d = distributions.find((x) => x.alias === value);
      const haystack = `${d?.alias} ${d?.id} ${d?.description}`.toLowerCase();
      expect(haystack).toContain(query.toLowerCase());
    }
  });

  it('puts aliases that start with the query before other matches', () => {
    const mixed = [
      { alias: 'a-www', id: 'EAAAAAAAA1', description: '' },
      { alias: 'legacy', id: 'EAAAAAAAA2', description: 'old www site' },
      { alias: 'www-staging', id: 'EAAAAAAAA3', description: '' },
      { alias: 'www', id: 'EAAAAAAAA4', description: '' },
    ];
    expect(distributionOptions(mixed, 'www').options.map((o) => o.value)).toEqual([
      'www',
      'www-staging',
      'a-www',
      'legacy',
    ]);
  });

  it('finds nothing for a query nothing contains', () => {
    expect(values('no-such-thing')).toEqual([]);
  });

  it('labels "alias — id", describes with the description, and keeps both within 75 characters', () => {
    const long = [{ alias: 'a'.repeat(63), id: 'E1234567890ABCDEFGHIJ', description: 'd'.repeat(200) }];
    const [option] = distributionOptions(long, '').options;
    expect(option?.text.text.length).toBeLessThanOrEqual(75);
    expect(option?.text.text.startsWith(`${'a'.repeat(63)} — `)).toBe(true);
    expect(option?.description?.text.length).toBeLessThanOrEqual(75);
    expect(option?.value).toBe('a'.repeat(63));

    const [plain] = distributionOptions([{ alias: 'www', id: 'E2QW', description: 'Public' }], '').options;
    expect(plain).toEqual({
      text: { type: 'plain_text', text: 'www — E2QW' },
      value: 'www',
      description: { type: 'plain_text', text: 'Public' },
    });
  });

  it('leaves the description out when there is none', () => {
    const [option] = distributionOptions([{ alias: 'www', id: 'E2QW', description: '' }], '').options;
    expect(option?.description).toBeUndefined();
  });
});

describe('distributionOptions: domains', () => {
  const withDomains = [
    { alias: 'www', id: 'E2QWRUHAPOMQZL', description: 'Public website', domains: ['www.example.com'] },
    {
      alias: 'shop-a',
      id: 'E5MULTITENANT1',
      tenantId: 'dt_shopA1',
      description: '',
      domains: ['a.shop.example.net'],
    },
  ];

  it('finds a distribution by one of its hosts and shows its domains and tenant', () => {
    const { options } = distributionOptions(withDomains, 'a.shop');
    expect(options.map((o) => o.value)).toEqual(['shop-a']);
    expect(options[0]?.text.text).toBe('shop-a — E5MULTITENANT1/dt_shopA1');
    expect(options[0]?.description?.text).toBe('a.shop.example.net');
    const [www] = distributionOptions(withDomains, 'www.example').options;
    expect(www?.description?.text).toBe('www.example.com · Public website');
  });
});
