import { createHash, createHmac } from 'node:crypto';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { containerSecrets } from '../../src/secrets/container-secrets';
import { signPost } from '../../src/secrets/sigv4';
import { MissingParametersError, readSecureStrings, SsmError } from '../../src/secrets/ssm-parameters';
import { type SsmFake, startSsmFake } from '../support/ssm-fake';

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The SDK signer's hash interface over node:crypto (what @smithy/hash-node does). */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret ? createHmac('sha256', toBytes(secret)) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const SIGNING = '/bot/test/slack-signing-secret';
const TOKEN = '/bot/test/slack-bot-token';
const credentials = {
  accessKeyId: 'ASIATESTKEY',
  secretAccessKey: 'test-secret',
  sessionToken: 'test-session',
};

let ssm: SsmFake;
beforeAll(async () => {
  ssm = await startSsmFake({ [SIGNING]: 'the-signing-secret', [TOKEN]: 'xoxb-from-ssm' });
});
afterAll(() => ssm.stop());
beforeEach(() => {
  ssm.calls.length = 0;
  ssm.setLatency(0);
});

describe('signPost (SigV4)', () => {
  it('signs exactly as the AWS SDK signer does', async () => {
    const now = new Date('2026-05-04T12:34:56.789Z');
    const body = JSON.stringify({ Names: [SIGNING, TOKEN], WithDecryption: true });
    const headers = {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonSSM.GetParameters',
    };
    const ours = signPost({
      host: 'ssm.eu-west-1.amazonaws.com',
      region: 'eu-west-1',
      service: 'ssm',
      headers,
      body,
      credentials,
      now,
    });
    const sdk = await new SignatureV4({
      service: 'ssm',
      region: 'eu-west-1',
      credentials,
      applyChecksum: false,
      sha256: Sha256,
    }).sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: 'ssm.eu-west-1.amazonaws.com',
        path: '/',
        headers: { ...headers, host: 'ssm.eu-west-1.amazonaws.com' },
        body,
      },
      { signingDate: now },
    );
    expect(ours.authorization).toBe(sdk.headers.authorization);
    expect(ours['x-amz-security-token']).toBe('test-session');
  });
});

describe('the SSM fake', () => {
  it('answers the real SDK client (JSON 1.1, X-Amz-Target AmazonSSM.GetParameters)', async () => {
    const client = new SSMClient({ region: 'us-east-1', endpoint: ssm.endpoint, credentials });
    const out = await client.send(
      new GetParametersCommand({ Names: [TOKEN, '/nope'], WithDecryption: true }),
    );
    client.destroy();
    expect(out.Parameters?.map((p) => [p.Name, p.Value, p.Type])).toEqual([
      [TOKEN, 'xoxb-from-ssm', 'SecureString'],
    ]);
    expect(out.InvalidParameters).toEqual(['/nope']);
    expect(ssm.calls).toMatchObject([
      { target: 'AmazonSSM.GetParameters', withDecryption: true, accessKeyId: 'ASIATESTKEY' },
    ]);
  });
});

describe('readSecureStrings', () => {
  it('reads both parameters in one decrypted GetParameters call', async () => {
    const values = await readSecureStrings([SIGNING, TOKEN], { endpoint: ssm.endpoint, credentials });
    expect(Object.fromEntries(values)).toEqual({ [SIGNING]: 'the-signing-secret', [TOKEN]: 'xoxb-from-ssm' });
    expect(ssm.calls).toHaveLength(1);
    expect(ssm.calls[0]).toMatchObject({ names: [SIGNING, TOKEN], withDecryption: true, status: 200 });
  });

  it('names the parameters SSM does not have', async () => {
    const read = readSecureStrings([SIGNING, '/bot/test/missing'], { endpoint: ssm.endpoint, credentials });
    await expect(read).rejects.toBeInstanceOf(MissingParametersError);
    await expect(read).rejects.toThrow('/bot/test/missing');
  });

  it('passes on the code of a refused call', async () => {
    ssm.inject({ code: 'AccessDeniedException' });
    const read = readSecureStrings([SIGNING], { endpoint: ssm.endpoint, credentials });
    await expect(read).rejects.toBeInstanceOf(SsmError);
    await expect(read).rejects.toThrow(/400 AccessDeniedException/);
  });
});

describe('containerSecrets', () => {
  const source = {
    TABLE_NAME: 'invalidations',
    SLACK_SIGNING_SECRET_PARAM: SIGNING,
    SLACK_BOT_TOKEN_PARAM: TOKEN,
    AWS_ACCESS_KEY_ID: 'ASIATESTKEY',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
  };

  it('reads once, fills the values in, and serves them from memory after', async () => {
    const secrets = containerSecrets({ ...source, SSM_ENDPOINT: ssm.endpoint }, 'slack');
    const [a, b] = await Promise.all([secrets.source(), secrets.source()]);
    expect(a.SLACK_SIGNING_SECRET).toBe('the-signing-secret');
    expect(a.SLACK_BOT_TOKEN).toBe('xoxb-from-ssm');
    expect(b).toBe(a);
    await secrets.source();
    expect(ssm.calls).toHaveLength(1);
  });

  it('the poller reads only the bot token', async () => {
    const env = await containerSecrets({ ...source, SSM_ENDPOINT: ssm.endpoint }, 'poller').source();
    expect(ssm.calls[0]?.names).toEqual([TOKEN]);
    expect(env.SLACK_BOT_TOKEN).toBe('xoxb-from-ssm');
    expect(env.SLACK_SIGNING_SECRET).toBeUndefined();
  });

  it('a failed read is not cached: the next call reads again', async () => {
    ssm.inject({ code: 'InternalServerError' });
    const secrets = containerSecrets({ ...source, SSM_ENDPOINT: ssm.endpoint }, 'slack');
    await expect(secrets.source()).rejects.toThrow(/500 InternalServerError/);
    await expect(secrets.source()).resolves.toMatchObject({ SLACK_BOT_TOKEN: 'xoxb-from-ssm' });
    expect(ssm.calls.map((c) => c.status)).toEqual([500, 200]);
  });

  it('says when its request is on the wire, before SSM has answered, so the cold start can work meanwhile', async () => {
    ssm.setLatency(300);
    const secrets = containerSecrets({ ...source, SSM_ENDPOINT: ssm.endpoint }, 'slack');
    let answered = false;
    const read = secrets.source().then(() => {
      answered = true;
    });
    await secrets.sent();
    expect(answered).toBe(false);
    await read;
    expect(ssm.calls).toHaveLength(1);
  });

  it('is done sending once a read has failed, so nothing waits on it', async () => {
    ssm.inject({ code: 'NetworkError' });
    const secrets = containerSecrets({ ...source, SSM_ENDPOINT: ssm.endpoint }, 'slack');
    await expect(secrets.source()).rejects.toThrow();
    await expect(secrets.sent()).resolves.toBeUndefined();
  });

  it('reads nothing where the values themselves are given (dev, tests)', async () => {
    const given = { TABLE_NAME: 't', SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' };
    const secrets = containerSecrets(given, 'slack');
    await expect(secrets.source()).resolves.toBe(given);
    await expect(secrets.sent()).resolves.toBeUndefined();
    expect(ssm.calls).toHaveLength(0);
  });
});
