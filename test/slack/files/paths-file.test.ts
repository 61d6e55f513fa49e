import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPathsFile } from '../../../src/slack/files/paths-file';
import { type SlackFake, startSlackFake } from '../../support/slack-fake';

/** The paths_file download against the Slack fake: files.info, then the private URL with the bot token. */

let fake: SlackFake;
const client = () => new WebClient('xoxb-files-test', { slackApiUrl: fake.apiUrl, logLevel: LogLevel.ERROR });

beforeAll(async () => {
  fake = await startSlackFake();
});
afterAll(async () => {
  await fake.close();
});

describe('readPathsFile', () => {
  it('reads a UTF-8 text file with the bot token, BOM dropped', async () => {
    const id = fake.addFile({ name: 'list.txt', content: '\uFEFF/a\n/café\n' });
    expect(await readPathsFile(client(), id)).toEqual({ ok: true, name: 'list.txt', text: '/a\n/café\n' });
    expect(fake.downloads().at(-1)).toEqual({ fileId: id, token: 'xoxb-files-test' });
  });

  it('the fake, like Slack, serves the private URL only with a token', async () => {
    const id = fake.addFile({ name: 'x.txt', content: '/a' });
    const info = (await client().files.info({ file: id })) as { file?: { url_private_download?: string } };
    const anonymous = await fetch(info.file?.url_private_download ?? '', { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
  });

  it.each([
    ['not UTF-8', { content: Buffer.from([0x2f, 0xff, 0xfe]) }, 'not UTF-8'],
    ['holding NUL bytes', { content: '/a\u0000' }, 'not a text file'],
    ['an image', { content: 'x', filetype: 'png', mimetype: 'image/png' }, 'not a plain-text file'],
  ])('refuses a file %s', async (_name, file, message) => {
    const id = fake.addFile({ name: 'f', ...file });
    const result = await readPathsFile(client(), id);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('an unknown file: Slack’s error code is named', async () => {
    const result = await readPathsFile(client(), 'F0NOPE');
    expect(result).toEqual({
      ok: false,
      message: 'Slack would not give me the file (file_not_found); please upload it again.',
    });
  });

  it('a Slack that does not answer in time: a clear error within the deadline, not a hang', async () => {
    const id = fake.addFile({ name: 'slow.txt', content: '/a' });
    fake.setLatency('files.info', 2_000);
    try {
      const result = await readPathsFile(client(), id, 100);
      expect(result).toEqual({
        ok: false,
        message: 'I could not read the file within 0.1 s. Please submit again.',
      });
    } finally {
      fake.setLatency('files.info', 0);
    }
  });
});
