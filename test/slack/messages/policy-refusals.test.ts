import { describe, expect, it } from 'vitest';
import { describePolicy } from '../../../src/slack/messages/policy-refusals';
import { parsedDistribution as distribution } from '../../support/request-fixtures';

/** The refusals themselves are worded in test/domain/policy.test.ts, next to the rules that refuse. */

describe('describePolicy', () => {
  it.each([
    [
      { requiredApprovals: 2 },
      'needs 2 approvals from <@U0ALICE>, <!subteam^S0SRE>; self-approval not allowed',
    ],
    [
      { approvers: ['U0ALICE'], allowSelfApproval: true },
      'needs 1 approval from <@U0ALICE>; self-approval allowed',
    ],
    [{ requiredApprovals: 0, approvers: [] }, 'needs no approval: requests are sent to CloudFront at once'],
    [
      { requesters: ['S0DEVS', 'W0ENT'] },
      'needs 1 approval from <@U0ALICE>, <!subteam^S0SRE>; self-approval not allowed; only <!subteam^S0DEVS>, <@W0ENT> can request',
    ],
  ])('%j → %s', (fields, expected) => {
    expect(describePolicy(distribution(fields))).toBe(expected);
  });
});
