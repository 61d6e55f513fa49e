// Variable resolvers for serverless.yml (`${file(./scripts/serverless-params.cjs):…}`), run while
// packaging. They load the stage's bot config with the bot's own loader (src/config/load-config.ts,
// through tsx), so a stage whose config is missing or invalid does not package, and the message
// names every bad field. The IAM resources are derived from that config's targets, never kept by
// hand beside it:
//   - same-account targets (no roleArn): CloudFront rights on the stack's invalidator role, on the
//     distribution ARN, or for a tenant (tenantId) on the distribution-tenant ARN;
//   - cross-account targets (roleArn): sts:AssumeRole on that role for the poller.
// Account ids stay CloudFormation pseudo parameters (Fn::Sub), so packaging never calls AWS.
'use strict';

const { readFileSync } = require('node:fs');
const path = require('node:path');

const INVALIDATE = ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'];
const INVALIDATE_TENANT = [
  'cloudfront:CreateInvalidationForDistributionTenant',
  'cloudfront:GetInvalidationForDistributionTenant',
];

let loaded;

/** The stage's config, loaded and validated once per packaging run. */
async function botConfig(resolveVariable) {
  // Not cached when it fails: osls asks again once `param:` can be resolved (a later phase).
  loaded ??= (async () => {
    const file = await resolveVariable('param:configFile');
    const { loadConfig } = require('tsx/cjs/api').require('../src/config/load-config.ts', __filename);
    try {
      return loadConfig({ BOT_CONFIG_FILE: String(file) }, (p) =>
        readFileSync(path.resolve(process.cwd(), p), 'utf8'),
      );
    } catch (error) {
      // The loader's message lists every problem, one per line, each naming its field.
      throw new Error(`the bot config does not load, nothing is packaged.\n${error.message}`);
    }
  })();
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

const sub = (arn) => ({ 'Fn::Sub': arn });
const distributionArn = (id) =>
  sub(`arn:\${AWS::Partition}:cloudfront::\${AWS::AccountId}:distribution/${id}`);
const tenantArn = (id) =>
  sub(`arn:\${AWS::Partition}:cloudfront::\${AWS::AccountId}:distribution-tenant/${id}`);
const unique = (xs) => [...new Set(xs)];

module.exports = {
  /** Fails the package, naming every bad field, when the stage's config is missing or invalid. */
  configChecked: async ({ resolveVariable }) => {
    const config = await botConfig(resolveVariable);
    return `${config.distributions.length} target(s)`;
  },

  /** The invalidator role's statements: CloudFront rights on exactly the same-account targets. */
  invalidatorStatements: async ({ resolveVariable }) => {
    const own = (await botConfig(resolveVariable)).distributions.filter((d) => d.roleArn === undefined);
    const distributions = unique(own.filter((d) => d.tenantId === undefined).map((d) => d.id));
    const tenants = unique(own.filter((d) => d.tenantId !== undefined).map((d) => d.tenantId));
    const statements = [];
    if (distributions.length > 0) {
      statements.push({ Effect: 'Allow', Action: INVALIDATE, Resource: distributions.map(distributionArn) });
    }
    if (tenants.length > 0) {
      statements.push({ Effect: 'Allow', Action: INVALIDATE_TENANT, Resource: tenants.map(tenantArn) });
    }
    // IAM rejects a policy without statements; deny nothing on nothing keeps the document valid.
    if (statements.length === 0) {
      statements.push({ Effect: 'Deny', Action: INVALIDATE, Resource: distributionArn('ENONE0000000') });
    }
    return statements;
  },

  /** Roles the poller may assume: the stack's invalidator role and every target's roleArn. */
  assumeRoleArns: async ({ resolveVariable }) => {
    const config = await botConfig(resolveVariable);
    const invalidator = await resolveVariable('self:custom.invalidatorRoleName');
    const crossAccount = unique(config.distributions.map((d) => d.roleArn).filter((r) => r !== undefined));
    return [sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${invalidator}`), ...crossAccount];
  },
};
