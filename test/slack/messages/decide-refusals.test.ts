import { describe, expect, it } from 'vitest';
import type { DecisionRefusal } from '../../../src/domain/lifecycle';
import { decideRefusalText } from '../../../src/slack/messages/decide-refusals';
import { toPlainText } from '../../../src/slack/messages/mrkdwn';

/** The lifecycle's refusals as the person reads them; the codes and facts are test/domain/lifecycle.test.ts'. */
describe('decideRefusalText: lifecycle refusals', () => {
  it.each([
    ['APPROVED', false, 'This request is no longer pending: it is approved.'],
    ['SUBMITTED', false, 'This request is no longer pending: it is submitted to CloudFront.'],
    ['SUBMITTED', true, 'This request is no longer pending: it is approved (dry run: nothing is sent).'],
    ['COMPLETED', true, 'This request is no longer pending: it is completed.'],
    ['REJECTED', false, 'This request is no longer pending: it is rejected.'],
    ['CANCELLED', false, 'This request is no longer pending: it is cancelled.'],
    ['EXPIRED', false, 'This request is no longer pending: it is expired.'],
    ['FAILED', true, 'This request is no longer pending: it is failed.'],
  ] as const)('not-pending, %s (dry run %s)', (status, dryRun, text) => {
    expect(decideRefusalText({ code: 'lifecycle', refusal: { code: 'not-pending', status, dryRun } })).toBe(
      text,
    );
  });

  it.each<[DecisionRefusal, string]>([
    [
      { code: 'expired', decideBy: '2025-01-02T00:00:00.000Z' },
      'This request expired at 2025-01-02T00:00:00.000Z without a decision.',
    ],
    [{ code: 'already-approved' }, 'You already approved this request.'],
  ])('%j', (refusal, text) => {
    const words = decideRefusalText({ code: 'lifecycle', refusal });
    expect(words).toBe(text);
    // The reject form shows the same words as plain text.
    expect(toPlainText(words)).toBe(text);
  });
});
