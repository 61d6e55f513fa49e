import type { InputBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { requestModal } from '../../../src/slack/views/request-modal';
import { allText } from '../messages/block-kit-limits';

function inputs(dryRun = false, initialAlias?: string): InputBlock[] {
  return requestModal({ dryRun, initialAlias }).blocks.filter((b): b is InputBlock => b.type === 'input');
}

describe('requestModal', () => {
  it('carries the contract ids', () => {
    const view = requestModal({ dryRun: false });
    expect(view.type).toBe('modal');
    expect(view.callback_id).toBe('invalidate_request');
    expect(
      inputs().map((b) => [b.block_id, b.element.type, 'action_id' in b.element ? b.element.action_id : '']),
    ).toEqual([
      ['distribution', 'external_select', 'distribution'],
      ['paths', 'plain_text_input', 'paths'],
      ['paths_file', 'file_input', 'paths_file'],
      ['reason', 'plain_text_input', 'reason'],
    ]);
  });

  it('loads distributions from the first keystroke, takes many paths, and makes the reason optional', () => {
    const [distribution, paths, , reason] = inputs();
    expect(distribution?.element.type === 'external_select' && distribution.element.min_query_length).toBe(0);
    expect(paths?.element.type === 'plain_text_input' && paths.element.multiline).toBe(true);
    expect(reason?.optional).toBe(true);
  });

  it('leaves the distribution optional (URL-only requests) and the paths optional (a file may hold them)', () => {
    const [distribution, paths, file] = inputs();
    expect(distribution?.optional).toBe(true);
    expect(paths?.optional).toBe(true);
    expect(file?.optional).toBe(true);
    expect(file?.element.type === 'file_input' && file.element.max_files).toBe(1);
    expect(file?.element.type === 'file_input' && file.element.filetypes).toContain('txt');
  });

  it('is titled in the product’s words, within the 24-character limits', () => {
    const view = requestModal({ dryRun: false });
    expect([view.title.text, view.submit?.text, view.close?.text]).toEqual([
      'Invalidate cache',
      'Request',
      'Cancel',
    ]);
  });

  it('explains the path rules', () => {
    const hint = inputs()[1]?.hint?.text ?? '';
    expect(hint).toMatch(/One path per line/);
    expect(hint).toMatch(/Full URLs are OK/);
    expect(hint).toMatch(/\* only at the end/);
  });

  it('preselects a distribution by alias', () => {
    const element = inputs(false, 'www')[0]?.element;
    expect(element?.type === 'external_select' && element.initial_option?.value).toBe('www');
    const none = inputs(false)[0]?.element;
    expect(none?.type === 'external_select' && none.initial_option).toBeUndefined();
  });

  it.each([true, false])('says dry run only in dry-run mode (%s)', (dryRun) => {
    const text = allText(requestModal({ dryRun }).blocks.filter((b) => b.type === 'context'));
    expect(text.includes('Dry run: no invalidation will be sent')).toBe(dryRun);
  });

  it('passes private metadata through, and refuses more than Slack keeps', () => {
    expect(requestModal({ dryRun: false, privateMetadata: '{"channel":"C1"}' }).private_metadata).toBe(
      '{"channel":"C1"}',
    );
    expect(requestModal({ dryRun: false }).private_metadata).toBeUndefined();
    expect(() => requestModal({ dryRun: false, privateMetadata: 'x'.repeat(3001) })).toThrow(RangeError);
  });
});
