import { describe, expect, it } from 'vitest';
import { helpMessage } from '../../../src/slack/messages/help';
import { allText, expectWithinBlockKitLimits } from './block-kit-limits';

const www = {
  alias: 'www',
  id: 'E2QWRUHAPOMQZL',
  description: 'Public website',
  policyText: '1 approval from <!subteam^S01SRE>; you may not approve your own',
};

describe('helpMessage', () => {
  it('explains every command form, escaped so the placeholders show', () => {
    const text = allText(helpMessage({ distributions: [www], dryRun: false }).blocks);
    for (const command of [
      '`/invalidate`',
      '`/invalidate &lt;alias&gt; &lt;path&gt; [&lt;path&gt;…]`',
      '`/invalidate status [id]`',
      '`/invalidate help`',
    ]) {
      expect(text).toContain(command);
    }
    expect(text).toContain('/invalidate www /index.html');
  });

  it('lists each distribution with its approval rule, mentions intact', () => {
    const shop = {
      alias: 'shop',
      id: 'E1SHOP0001',
      description: 'R&D <shop>',
      policyText: 'no approval needed',
    };
    const text = allText(helpMessage({ distributions: [www, shop], dryRun: false }).blocks);
    expect(text).toContain('*www* `E2QWRUHAPOMQZL` Public website');
    expect(text).toContain('1 approval from <!subteam^S01SRE>');
    expect(text).toContain('R&amp;D &lt;shop&gt;');
    expect(text).toContain('no approval needed');
  });

  it('says so when the person may use no distribution', () => {
    expect(allText(helpMessage({ distributions: [], dryRun: false }).blocks)).toMatch(/may not request/);
  });

  it('stays within limits with 500 distributions and counts the ones left out', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({
      ...www,
      alias: `site-${i}`,
      description: 'd'.repeat(200),
      policyText: 'p'.repeat(300),
    }));
    const message = helpMessage({ distributions: many, dryRun: false });
    expectWithinBlockKitLimits(message.blocks ?? [], 50);
    const text = allText(message.blocks);
    const listed = many.filter((d) => text.includes(`*${d.alias}*`)).length;
    expect(listed).toBeGreaterThan(0);
    expect(text).toContain(`…and ${500 - listed} more distributions`);
  });

  it.each([true, false])('says dry run only in dry-run mode (%s)', (dryRun) => {
    const message = helpMessage({ distributions: [www], dryRun });
    expect(/dry run/i.test(allText(message.blocks))).toBe(dryRun);
    expect(/dry run/i.test(message.text)).toBe(dryRun);
  });
});

describe('helpMessage: domains and cache tags', () => {
  it('shows the hosts that route to each distribution, which have cache tags, and the URL-only form', () => {
    const text = allText(
      helpMessage({
        distributions: [{ ...www, domains: ['www.example.com', '*.example.com'], cacheTags: true }],
        dryRun: false,
      }).blocks,
    );
    expect(text).toContain('hosts: www.example.com, *.example.com');
    expect(text).toContain('_cache tags_');
    expect(text).toContain('`/invalidate https://host/path …`');
    expect(text).toContain('Up to 100,000 items per request');
  });
});
