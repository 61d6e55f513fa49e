// Variable resolvers for serverless.yml (`${file(./scripts/serverless-params.cjs):…}`).
//
// They exist because neither osls variables nor CloudFormation can map a list: turning the
// configured distribution ids into `arn:…:cloudfront::${AWS::AccountId}:distribution/<id>`
// ARNs needs one `Fn::Sub` per id. The account id stays a CloudFormation pseudo parameter, so
// packaging never calls AWS. A list param may also come from the CLI
// (`--param distributionIds=E1,E2`), where it arrives as a comma-separated string.
'use strict';

const distributionId = /^E[A-Z0-9]{7,20}$/;
const tenantId = /^dt_[A-Za-z0-9]{1,60}$/;
const roleArn = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

async function listParam(resolveVariable, name, pattern, what) {
  const raw = await resolveVariable(`param:${name}, null`);
  const items = raw == null ? [] : Array.isArray(raw) ? raw : String(raw).split(',');
  const values = items.map((item) => String(item).trim()).filter((item) => item !== '');
  for (const value of values) {
    if (!pattern.test(value)) {
      throw new Error(`param "${name}": "${value}" is not ${what}`);
    }
  }
  return [...new Set(values)];
}

module.exports = {
  distributionIds: ({ resolveVariable }) =>
    listParam(resolveVariable, 'distributionIds', distributionId, 'a CloudFront distribution id (E…)'),

  distributionArns: async ({ resolveVariable }) => {
    const ids = await listParam(
      resolveVariable,
      'distributionIds',
      distributionId,
      'a CloudFront distribution id (E…)',
    );
    // Distribution tenants (config `tenantId`) are invalidated through the tenant operations,
    // which IAM authorises on the tenant's own ARN.
    const tenants = await listParam(
      resolveVariable,
      'distributionTenantIds',
      tenantId,
      'a CloudFront distribution tenant id (dt_…)',
    );
    // CloudFront ARNs have no region; `${…}` here is CloudFormation's, not a JS template.
    return [
      ...ids.map((id) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:cloudfront::\${AWS::AccountId}:distribution/${id}`,
      })),
      ...tenants.map((id) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:cloudfront::\${AWS::AccountId}:distribution-tenant/${id}`,
      })),
    ];
  },

  assumeRoleArns: ({ resolveVariable }) =>
    listParam(resolveVariable, 'assumeRoleArns', roleArn, 'an IAM role ARN'),
};
