import * as z from 'zod';

/** The config contract of DESIGN.md. Defaults are applied here, once. */

const userId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id (U… or W…)');
const groupId = z.string().regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user-group id (S…)');
const channelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel id (C…, G… or D…)');
const principal = z.union([userId, groupId], {
  error: 'must be a Slack user id (U…/W…) or user-group id (S…)',
});

// Strict objects: a typo such as `requiredAprovals` must fail loudly, not fall back to a weaker default.
export const distributionSchema = z.strictObject({
  alias: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be lower-case letters, digits, ".", "_" or "-" (max 63)'),
  id: z.string().regex(/^E[A-Z0-9]{7,20}$/, 'must look like a CloudFront distribution id (E…)'),
  description: z.string().max(200).default(''),
  approvers: z.array(principal).default([]),
  requiredApprovals: z.number().int().min(0).max(10).default(1),
  allowSelfApproval: z.boolean().default(false),
  requesters: z.union([z.array(z.literal('*')).length(1), z.array(principal).min(1)]).default(['*']),
  channel: channelId.optional(),
  roleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN')
    .optional(),
});

export const botConfigSchema = z
  .strictObject({
    approvalChannel: channelId,
    requestExpiryMinutes: z.number().int().min(1).max(43_200).default(1440),
    distributions: z.array(distributionSchema).min(1, 'must list at least one distribution'),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.distributions.forEach((d, i) => {
      const first = seen.get(d.alias);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['distributions', i, 'alias'],
          message: `duplicate alias "${d.alias}" (also distributions[${first}])`,
        });
      } else {
        seen.set(d.alias, i);
      }
      const people = new Set(d.approvers.filter((a) => !a.startsWith('S')));
      const hasGroups = d.approvers.some((a) => a.startsWith('S'));
      if (
        d.approvers.length > 0 &&
        !hasGroups &&
        people.size < d.requiredApprovals &&
        d.requiredApprovals <= 10
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['distributions', i, 'requiredApprovals'],
          message: `needs ${d.requiredApprovals} approvals but only ${people.size} approver(s) are listed, so no request could ever be approved`,
        });
      }
      if (d.requiredApprovals > 0 && d.approvers.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['distributions', i, 'approvers'],
          message: `requiredApprovals is ${d.requiredApprovals} but no approvers are listed`,
        });
      }
    });
  });

export type BotConfig = z.output<typeof botConfigSchema>;
export type DistributionConfig = z.output<typeof distributionSchema>;
