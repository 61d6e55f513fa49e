import { describe, expect, it } from 'vitest';
import { rejectModal } from '../../../src/slack/views/reject-modal';
import { requestModal } from '../../../src/slack/views/request-modal';
import { allText, expectWithinBlockKitLimits } from '../messages/block-kit-limits';
import { aRequest } from '../request-fixture';

describe('rejectModal', () => {
  it('carries the contract ids: callback reject_request, optional input reason, the request id in private_metadata', () => {
    const request = aRequest({
      id: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
      requesterId: 'U0ALICE',
      distributionAlias: 'www',
    });
    const view = rejectModal(request);
    expect(view.callback_id).toBe('reject_request');
    expect(view.private_metadata).toBe(request.id);
    const input = view.blocks.find((b) => b.type === 'input');
    expect(input).toMatchObject({
      block_id: 'reason',
      optional: true,
      element: { type: 'plain_text_input', action_id: 'reason' },
    });
    expect(allText(view.blocks)).toContain("Reject <@U0ALICE>'s invalidation");
    expectWithinBlockKitLimits(view.blocks, 100);
  });
});

describe('requestModal: break-glass and pre-filled', () => {
  it('shows the break_glass checkbox only when offered, with the one option value break_glass', () => {
    const offered = requestModal({ dryRun: false, offerBreakGlass: true });
    const block = offered.blocks.find((b) => b.block_id === 'break_glass');
    expect(block).toMatchObject({
      type: 'input',
      optional: true,
      element: { type: 'checkboxes', action_id: 'break_glass' },
    });
    expect(JSON.stringify(block)).toMatch(/"options":\[\{[^\]]*"value":"break_glass"\}\]/);
    expect(requestModal({ dryRun: false }).blocks.some((b) => b.block_id === 'break_glass')).toBe(false);
  });

  it('pre-fills paths and reason ("Request again")', () => {
    const view = JSON.stringify(
      requestModal({ dryRun: false, initialAlias: 'www', initialPaths: '/a\n/b', initialReason: 'again' }),
    );
    expect(view).toContain('"initial_value":"/a\\n/b"');
    expect(view).toContain('"initial_value":"again"');
  });
});
