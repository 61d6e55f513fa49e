import { describe, expect, it } from 'vitest';
import { cardPostProblemText } from '../../../src/slack/messages/card-post-problem';
import { requestRefusalText } from '../../../src/slack/messages/request-refusals';

describe('requestRefusalText', () => {
  it.each([
    [
      { code: 'unknown-distribution', typed: 'w<w', suggestions: ['www'], allowed: ['www', 'staging'] },
      'No distribution `w&lt;w`. Did you mean `www`? Yours to use: `www`, `staging`.',
    ],
    [
      { code: 'unknown-distribution', typed: 'x', suggestions: [], allowed: [] },
      'No distribution `x`. You may not request invalidations on any distribution; ask an admin to add you as a requester.',
    ],
    [
      { code: 'break-glass-not-listed', alias: 'www', breakGlass: [] },
      'You may not skip approval (break-glass) on `www`. Nobody may break glass on it. Nothing was requested; ask without break-glass to go through approval.',
    ],
    [
      { code: 'reason-required', alias: 'www' },
      '`www` needs a reason for every request, so approvers know why. Nothing was requested.',
    ],
  ] as const)('%j', (refusal, text) => {
    expect(requestRefusalText(refusal)).toBe(text);
  });
});

describe('cardPostProblemText', () => {
  it.each([
    [{ error: 'not_in_channel', channel: 'C1', botUserId: 'U0BOT' }, 'Fix: run `/invite` <@U0BOT> in <#C1>'],
    [{ error: 'not_in_channel', channel: 'C1' }, 'run `/invite` @<the bot> in <#C1>'],
    [
      { error: 'missing_scope', channel: 'C1', neededScope: 'chat:write.public' },
      'lacks the `chat:write.public` scope',
    ],
    [{ error: 'token_revoked', channel: 'C1' }, 'reinstalls the app'],
    [{ error: 'weird_error', channel: 'C1' }, '(`weird_error`)'],
  ])('%j', (problem, part) => {
    expect(cardPostProblemText(problem)).toContain(part);
  });
});
