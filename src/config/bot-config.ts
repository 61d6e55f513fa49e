import * as z from '../shared/zod';
import { iamRoleArn, matching } from './string-rules';

/** The config contract (README "Config", docs/architecture.md "Contracts"). Defaults are applied here, once. */

const int = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));
const withDefault = z._default;

const userId = matching(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id (U… or W…)');
const groupId = matching(/^S[A-Z0-9]{2,}$/, 'must be a Slack user-group id (S…)');
const channelId = matching(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel id (C…, G… or D…)');
// Lower-case host names; `*.` only as the whole first label, as CloudFront's wildcard alternate domain names.
const domainName = z.pipe(
  z.pipe(
    z.string(),
    z.transform((d: string) => d.trim().toLowerCase()),
  ),
  matching(
    /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be a host name (www.example.com) or one leading wildcard label (*.example.com)',
  ),
);
const principal = z.union([userId, groupId], {
  error: 'must be a Slack user id (U…/W…) or user-group id (S…)',
});

// Strict objects: a typo such as `requiredAprovals` must fail loudly, not fall back to a weaker default.
export const distributionSchema = z.strictObject({
  alias: matching(
    /^[a-z0-9][a-z0-9._-]{0,62}$/,
    'must be lower-case letters, digits, ".", "_" or "-" (max 63)',
  ),
  id: matching(/^E[A-Z0-9]{7,20}$/, 'must look like a CloudFront distribution id (E…)'),
  description: withDefault(z.string().check(z.maxLength(200)), ''),
  approvers: withDefault(z.array(principal), []),
  requiredApprovals: withDefault(int(0, 10), 1),
  allowSelfApproval: withDefault(z.boolean(), false),
  requesters: withDefault(
    z.union([z.array(z.literal('*')).check(z.length(1)), z.array(principal).check(z.minLength(1))]),
    ['*'],
  ),
  channel: z.optional(channelId),
  roleArn: z.optional(iamRoleArn()),
  /** Host names whose URLs belong to this target: exact, or one leading `*.` label. */
  domains: withDefault(z.array(domainName), []),
  /** The distribution has a CacheTagConfig, so `#tag` items are allowed. */
  cacheTags: withDefault(z.boolean(), false),
  /** A tenant (`dt_…`) of the multi-tenant distribution `id`: invalidations go to the tenant. */
  tenantId: z.optional(
    matching(/^dt_[A-Za-z0-9]{1,60}$/, 'must be a CloudFront distribution tenant id (dt_…)'),
  ),
  /** Who may submit at once without approval, with a required reason. */
  breakGlass: withDefault(z.array(principal), []),
  /** A request without a reason is refused. */
  requireReason: withDefault(z.boolean(), false),
});

export const botConfigSchema = z
  .strictObject({
    approvalChannel: channelId,
    requestExpiryMinutes: withDefault(int(1, 43_200), 1440),
    /** An undecided request's thread pings its approvers again after this; 0 = never. */
    remindAfterMinutes: withDefault(int(0, 43_200), 60),
    distributions: z.array(distributionSchema).check(z.minLength(1, 'must list at least one distribution')),
  })
  .check(
    z.superRefine((config, ctx) => {
      const seen = new Map<string, number>();
      const targets = new Map<string, number>();
      const hosts = new Map<string, number>();
      config.distributions.forEach((d, i) => {
        // One CloudFront target, one policy: a second entry for it could only differ in its rules.
        const target = targetKey(d);
        const sameTarget = targets.get(target);
        if (sameTarget !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['distributions', i, d.tenantId !== undefined ? 'tenantId' : 'id'],
            message: `${d.tenantId !== undefined ? `tenant ${d.tenantId} of ` : ''}distribution ${d.id} is already configured as distributions[${sameTarget}] ("${config.distributions[sameTarget]?.alias}"): one target has one policy`,
          });
        } else {
          targets.set(target, i);
        }
        d.domains.forEach((host, j) => {
          const owner = hosts.get(host);
          if (owner !== undefined && owner !== i) {
            ctx.addIssue({
              code: 'custom',
              path: ['distributions', i, 'domains', j],
              message: `"${host}" already belongs to distributions[${owner}] ("${config.distributions[owner]?.alias}")`,
            });
          } else {
            hosts.set(host, i);
          }
        });
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
    }),
  );

/** A CloudFront target: a distribution, or one tenant of a multi-tenant distribution. */
export function targetKey(d: { id: string; tenantId?: string | undefined }): string {
  return d.tenantId === undefined ? d.id : `${d.id}/${d.tenantId}`;
}

export type BotConfig = z.output<typeof botConfigSchema>;
export type DistributionConfig = z.output<typeof distributionSchema>;
