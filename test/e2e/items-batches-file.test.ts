import { describe, expect, it } from 'vitest';
import {
  cardTsOf,
  dmsTo,
  inlineErrors,
  STAGING_ID,
  storedRequest,
  submitModal,
  textOf,
  threadTexts,
  USERS,
} from '../support/bot';
import { tooManyInvalidations } from '../support/cloudfront-fake';
import { useBots } from '../support/use-bots';
import { ITEMS_BOT, lastCardText } from './items-fixture';

/** Lists of any size: the modal's paths_file, batches of 3,000 with their own CallerReferences. */

const start = useBots();

const paths = (n: number, prefix = '/assets/') => Array.from({ length: n }, (_, i) => `${prefix}${i}.js`);

describe('a request larger than one invalidation', () => {
  it('is read from the uploaded file, split into batches of 3,000, submitted one after another and completed when every batch is', async () => {
    const bot = await start(ITEMS_BOT);
    const lines = [
      ...paths(7001),
      '/assets/0.js',
      '/assets/1.js?v=2',
      'https://x.example.org/assets/new.js?v=9',
    ];
    const fileId = bot.slackApi.addFile({ name: 'deploy-paths.txt', content: `${lines.join('\n')}\n` });

    const { response, request } = await submitModal(bot, {
      userId: USERS.alice,
      alias: 'staging',
      pathsFile: [fileId],
    });
    expect(response.statusCode).toBe(200);
    if (!request) throw new Error(`nothing stored: ${response.body}`);
    expect(request.paths).toEqual([...paths(7001), '/assets/new.js']);

    // The bot fetched the file with its own token.
    expect(bot.slackApi.calls('files.info').map((c) => [c.args.file, c.token])).toEqual([
      [fileId, 'xoxb-e2e-token'],
    ]);
    expect(bot.slackApi.downloads()).toEqual([{ fileId, token: 'xoxb-e2e-token' }]);

    // Batch 1 went at once (staging needs no approval); batch 2 waits for it: 3,000 items in progress is the limit.
    const creates = () => bot.cloudfront.state.callsOf('CreateInvalidation').filter((c) => c.status === 201);
    expect(creates().map((c) => [c.callerReference, c.paths?.length])).toEqual([[request.id, 3000]]);

    for (let round = 0; round < 6 && (await storedRequest(bot, request.id)).status !== 'COMPLETED'; round++) {
      bot.clock.advance(60_000);
      await bot.poll();
    }
    const done = await storedRequest(bot, request.id);
    expect(done.status).toBe('COMPLETED');
    expect(creates().map((c) => [c.distributionId, c.callerReference, c.paths?.length])).toEqual([
      [STAGING_ID, request.id, 3000],
      [STAGING_ID, `${request.id}-2`, 3000],
      [STAGING_ID, `${request.id}-3`, 1002],
    ]);
    expect(creates().flatMap((c) => c.paths ?? [])).toEqual(request.paths);
    // Each batch was submitted only after the one before had completed.
    const order = bot.cloudfront.state.calls
      .filter((c) => c.status === 201 || c.operation === 'GetInvalidation')
      .map((c) => `${c.operation === 'GetInvalidation' ? 'get' : 'create'}:${c.invalidationId}`);
    const ids = creates().map((c) => c.invalidationId);
    expect(order).toEqual([
      `create:${ids[0]}`,
      `get:${ids[0]}`,
      `create:${ids[1]}`,
      `get:${ids[1]}`,
      `create:${ids[2]}`,
      `get:${ids[2]}`,
    ]);
    expect(done.batches?.map((b) => [b.number, b.status])).toEqual([
      [1, 'Completed'],
      [2, 'Completed'],
      [3, 'Completed'],
    ]);

    const card = await lastCardText(bot, request.id);
    expect(card).toContain('Split into 3 batches of at most 3,000 items');
    expect(card).toContain('3 of 3 completed');
    expect(card).toContain('2 duplicates merged; query strings dropped from 1 URL');
    const thread = threadTexts(bot, done.channel, cardTsOf(done));
    expect(thread.filter((t) => t.includes('Completed'))).toHaveLength(1);
    expect(
      dmsTo(bot, USERS.alice)
        .map((c) => textOf(c.args))
        .join('\n'),
    ).toContain('completed');
  });

  it('a TooManyInvalidationsInProgress on a later batch queues it; the next run submits it with the same reference', async () => {
    const bot = await start(ITEMS_BOT);
    const fileId = bot.slackApi.addFile({ name: 'p.txt', content: paths(3001).join('\n') });
    const { request } = await submitModal(bot, {
      userId: USERS.alice,
      alias: 'staging',
      pathsFile: [fileId],
    });
    if (!request) throw new Error('nothing stored');
    bot.cloudfront.inject(tooManyInvalidations());
    bot.clock.advance(60_000);
    await bot.poll();
    const waiting = await storedRequest(bot, request.id);
    expect(waiting.status).toBe('SUBMITTED');
    expect(waiting.batches?.map((b) => b.status)).toEqual(['Completed']);
    expect(waiting.lastError).toContain('TooManyInvalidationsInProgress');

    bot.clock.advance(5 * 60_000);
    await bot.poll();
    bot.clock.advance(60_000);
    await bot.poll();
    const refs = bot.cloudfront.state.callsOf('CreateInvalidation').map((c) => [c.callerReference, c.status]);
    expect(refs).toEqual([
      [request.id, 201],
      [`${request.id}-2`, 400],
      [`${request.id}-2`, 201],
    ]);
    expect((await storedRequest(bot, request.id)).status).toBe('COMPLETED');
  });
});

describe('the paths_file upload', () => {
  it('reports errors with the file’s line numbers on the file block, and stores nothing', async () => {
    const bot = await start(ITEMS_BOT);
    const fileId = bot.slackApi.addFile({ name: 'bad.txt', content: '/ok\n\nindex.html\n/a/*/b\n' });
    const { response, request } = await submitModal(bot, {
      userId: USERS.alice,
      alias: 'staging',
      pathsFile: [fileId],
    });
    const body = inlineErrors(response);
    expect(body.response_action).toBe('errors');
    expect(body.errors.paths_file).toContain('line 3: "index.html": must start with /');
    expect(body.errors.paths_file).toContain('line 4: "/a/*/b": * is only allowed as the last character');
    expect(body.errors.paths).toBeUndefined();
    expect(request).toBeUndefined();
  });

  it.each([['a file Slack does not have', () => 'F0MISSING1', 'file_not_found']])(
    '%s: an error on the block, nothing stored',
    async (_name, id, message) => {
      const bot = await start(ITEMS_BOT);
      const { response, request } = await submitModal(bot, {
        userId: USERS.alice,
        alias: 'staging',
        pathsFile: [id()],
      });
      const body = inlineErrors(response);
      expect(body.errors.paths_file).toContain(message);
      expect(request).toBeUndefined();
    },
  );

  it('a binary file is refused', async () => {
    const bot = await start(ITEMS_BOT);
    const fileId = bot.slackApi.addFile({
      name: 'x.png',
      content: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      filetype: 'png',
      mimetype: 'image/png',
    });
    const { response } = await submitModal(bot, {
      userId: USERS.alice,
      alias: 'staging',
      pathsFile: [fileId],
    });
    expect(inlineErrors(response).errors.paths_file).toContain('not a plain-text file');
  });

  it('paths typed and a file attached: asks for one of them', async () => {
    const bot = await start(ITEMS_BOT);
    const fileId = bot.slackApi.addFile({ name: 'p.txt', content: '/a' });
    const { response } = await submitModal(bot, {
      userId: USERS.alice,
      alias: 'staging',
      paths: '/b',
      pathsFile: [fileId],
    });
    expect(inlineErrors(response).errors.paths_file).toContain('not both');
  });

  it('a list over the per-request bound is refused with the bound', async () => {
    const bot = await start(ITEMS_BOT);
    const fileId = bot.slackApi.addFile({ name: 'huge.txt', content: paths(100_001, '/').join('\n') });
    const { response, request } = await submitModal(bot, {
      userId: USERS.alice,
      alias: 'staging',
      pathsFile: [fileId],
    });
    const errors = inlineErrors(response).errors;
    expect(errors.paths_file).toContain('line 100001');
    expect(errors.paths_file).toContain('at most 100,000 per request');
    expect(request).toBeUndefined();
  });
});
