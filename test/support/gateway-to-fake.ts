import {
  type CloudFrontGateway,
  type CloudFrontGatewayOptions,
  createCloudFrontGateway,
} from '../../src/cloudfront/gateway';
import type { CloudFrontFake } from './cloudfront-fake';

/** The gateway tests' own credentials: the fake records them as the caller's access key id. */
export const BASE_CREDENTIALS = { accessKeyId: 'AKIDBASE', secretAccessKey: 'base-secret' };

/** A cross-account role a target can name (`roleArn`), assumed through the fake's STS. */
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/cf-invalidator';

/** The real gateway, on the fake's CloudFront and STS endpoints with BASE_CREDENTIALS; `options` add or override. */
export function gatewayToFake(
  fake: CloudFrontFake,
  options: CloudFrontGatewayOptions = {},
): CloudFrontGateway {
  return createCloudFrontGateway({
    endpoint: fake.endpoint,
    stsEndpoint: fake.stsEndpoint,
    credentials: BASE_CREDENTIALS,
    ...options,
  });
}
