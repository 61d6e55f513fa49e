import type { InvalidationRequest } from '../domain/request';
import type { DistributionTarget } from './ports';

/** The distribution a request's CloudFront calls go to, and the role they are made with. */
export function distributionTarget(request: InvalidationRequest): DistributionTarget {
  return { distributionId: request.distributionId, ...(request.roleArn ? { roleArn: request.roleArn } : {}) };
}
