import { describe, expect, it } from 'vitest';
import { errorMessage, pathErrorsMessage } from '../../../src/slack/messages/errors';
import { allText, expectWithinBlockKitLimits } from './block-kit-limits';

describe('errorMessage', () => {
  it('keeps mentions working', () => {
    expect(errorMessage('Only <@U1> may cancel this.').text).toContain('Only <@U1> may cancel this.');
  });
});

describe('pathErrorsMessage', () => {
  it('lists each error, escaped, and the rules', () => {
    const message = pathErrorsMessage('line 1: "<b>": must start with /\nline 3: "/a*b": * only at the end');
    const text = allText(message.blocks);
    expect(text).toContain('• line 1: "&lt;b&gt;": must start with /');
    expect(text).toContain('• line 3: "/a*b": * only at the end');
    expect(text).toMatch(/only as the last character/);
    expect(message.text).toMatch(/nothing was requested/);
  });

  it('stays within a section and counts what it leaves out', () => {
    const lines = Array.from(
      { length: 40 },
      (_, i) => `line ${i + 1}: "${'&'.repeat(200)}": must start with /`,
    );
    const message = pathErrorsMessage(lines.join('\n'));
    expectWithinBlockKitLimits(message.blocks ?? [], 50);
    const shown = (allText(message.blocks).match(/• line/g) ?? []).length;
    expect(shown).toBeGreaterThan(0);
    expect(allText(message.blocks)).toContain(`…and ${40 - shown} more`);
  });
});
