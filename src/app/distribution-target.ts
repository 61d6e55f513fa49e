import type { InvalidationRequest } from '../domain/request';
import type { DistributionTarget } from './ports';

/** The distribution (or tenant) a request's CloudFront calls go to, and the role they are made with. */
export function distributionTarget(request: InvalidationRequest): DistributionTarget {
  return {
    distributionId: request.distributionId,
    ...(request.tenantId ? { tenantId: request.tenantId } : {}),
    ...(request.roleArn ? { roleArn: request.roleArn } : {}),
  };
}
