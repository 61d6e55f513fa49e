import type { fromEnv } from '@aws-sdk/credential-provider-env';

export declare const defaultProvider: typeof fromEnv;
