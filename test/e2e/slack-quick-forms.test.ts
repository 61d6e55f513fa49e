import { describe, expect, it } from 'vitest';
import {
  APPROVAL_CHANNEL,
  cardTsOf,
  SELF_ID,
  storeOf,
  submitModal,
  textOf,
  threadReplies,
  USERS,
  WWW_ID,
} from '../support/bot';
import { ephemeralAnswer, expectApprovalCard } from '../support/slack-expect';
import { useBot } from '../support/use-bots';

/** `/invalidate <alias> <paths>`, `help` and `status`: answered in the command's own HTTP response. */

const bot = useBot();

const command = (userId: string, text: string) => ephemeralAnswer(bot, userId, text);

describe('the quick form', () => {
  it('creates the request, posts the card and confirms ephemerally', async () => {
    const reply = await command(USERS.alice, 'www /index.html https://example.com/a.png?x=1 /index.html');

    const [request, ...more] = await storeOf(bot).listByRequester(USERS.alice);
    expect(more).toEqual([]);
    expect(request).toMatchObject({
      status: 'PENDING',
      distributionId: WWW_ID,
      paths: ['/index.html', '/a.png'],
    });
    if (!request) throw new Error('no request stored');
    expect(reply.text).toMatch(/^Request recorded\./);
    expect(reply.all).toContain(request.id);
    expectApprovalCard(bot, request);
    // The answer is in the HTTP response; no DM on top.
    expect(bot.slackApi.calls('chat.postMessage').filter((c) => c.args.channel === USERS.alice)).toEqual([]);
  });

  it('takes URLs in the escaped form Slack sends them, and an alias in any case', async () => {
    await command(
      USERS.alice,
      'WWW <https://example.com/a.png?x=1&amp;y=2> <https://example.com/b/c.css|example.com/b/c.css>',
    );

    const [request] = await storeOf(bot).listByRequester(USERS.alice);
    expect(request?.distributionAlias).toBe('www');
    expect(request?.paths).toEqual(['/a.png', '/b/c.css']);
  });

  it('names the bad words and stores nothing', async () => {
    const reply = await command(USERS.alice, 'www /ok.html /a/*/b index.html');

    expect(reply.all).toMatch(/nothing was requested/);
    // Numbered by position among the paths typed.
    expect(reply.all).toMatch(/2: "\/a\/\*\/b": \* is only allowed as the last character/);
    expect(reply.all).toMatch(/3: "index\.html": must start with \//);
    expect(reply.all).not.toMatch(/1: "\/ok\.html"/);
    expect(await storeOf(bot).listByRequester(USERS.alice)).toEqual([]);
    expect(bot.slackApi.calls('chat.postMessage')).toEqual([]);
  });

  it('lists the known aliases for an unknown one', async () => {
    const reply = await command(USERS.alice, 'wwww /index.html');

    expect(reply.all).toMatch(/No distribution `wwww`\. Did you mean `www`\?/);
    // Only the ones alice may use (she is the only requester of `self`).
    expect(reply.all).toMatch(/Yours to use: `www`, `staging`, `self`\./);
    expect(await storeOf(bot).listByRequester(USERS.alice)).toEqual([]);
    expect(bot.slackApi.calls('chat.postMessage')).toEqual([]);
  });

  it('escapes an unknown alias when it echoes it', async () => {
    // Slack escapes `<` in command text; the bot must not hand it back unescaped.
    const reply = await command(USERS.alice, 'w&lt;!channel&gt; /index.html');

    expect(reply.text).toContain('&lt;!channel&gt;');
    expect(reply.text).not.toContain('<!channel>');
  });

  it('refuses a requester the distribution does not allow', async () => {
    const reply = await command(USERS.bob, 'self /index.html');

    expect(reply.all).toContain(`only <@${USERS.alice}> can`);
    expect(await storeOf(bot).listByRequester(USERS.bob)).toEqual([]);
  });

  it('submits at once on a distribution needing no approval: answered approved, submitted by the kicked worker', async () => {
    const reply = await command(USERS.bob, 'staging /index.html');

    // The answer is written before CloudFront is called, so it says approved, not submitted.
    expect(reply.text).toMatch(/^Request recorded\. The approval card will be posted shortly\. Approved:/);
    const [request] = await storeOf(bot).listByRequester(USERS.bob);
    expect(request?.status).toBe('SUBMITTED');
    expect(bot.cloudfront.state.calls.filter((c) => c.operation === 'CreateInvalidation')).toHaveLength(1);
    const replies = threadReplies(bot, APPROVAL_CHANNEL, cardTsOf(request ?? {}));
    expect(replies.map((c) => textOf(c.args)).join('\n')).toContain(String(request?.invalidationId));
  });
});

describe('help', () => {
  it('shows usage and the distributions this person may use, with their approval rules', async () => {
    const forAlice = await command(USERS.alice, 'help');
    const forBob = await command(USERS.bob, 'help');

    expect(forAlice.all).toContain('/invalidate');
    for (const alias of ['www', 'staging', 'self']) expect(forAlice.all).toContain(alias);
    expect(forAlice.all).toMatch(/needs 2 approvals/);
    expect(forAlice.all).toMatch(/needs no approval/);
    expect(forAlice.all).toMatch(/self-approval allowed/);
    // bob may not request on `self`.
    expect(forBob.all).not.toContain(SELF_ID);
    expect(forBob.all).toContain('www');
    expect(bot.slackApi.calls('views.open')).toEqual([]);
  });
});

describe('status', () => {
  it('lists the person’s recent requests', async () => {
    const { request: first } = await submitModal(bot, { userId: USERS.alice, alias: 'www', paths: '/one' });
    const { request: second } = await submitModal(bot, { userId: USERS.alice, alias: 'self', paths: '/two' });
    await submitModal(bot, { userId: USERS.bob, alias: 'www', paths: '/bobs' });

    const reply = await command(USERS.alice, 'status');

    expect(reply.all).toContain(String(first?.id.slice(-8)));
    expect(reply.all).toContain(String(second?.id.slice(-8)));
    const bobs = (await storeOf(bot).listByRequester(USERS.bob))[0];
    expect(reply.all).not.toContain(String(bobs?.id.slice(-8)));
  });

  it('says so when there are none', async () => {
    const reply = await command(USERS.eve, 'status');

    expect(reply.all).toMatch(/No invalidation requests yet/);
    expect(await storeOf(bot).listByRequester(USERS.eve)).toEqual([]);
  });

  it('shows one request by id', async () => {
    const { request } = await submitModal(bot, { userId: USERS.alice, alias: 'www', paths: '/one\n/two' });
    if (!request) throw new Error('no request stored');

    const reply = await command(USERS.bob, `status ${request.id.toLowerCase()}`);

    expect(reply.all).toContain(request.id);
    expect(reply.all).toContain('www');
    expect(reply.all).toMatch(/[Ww]aiting for approval/);
  });

  it('finds one of the person’s own requests by the short id lists show', async () => {
    const { request } = await submitModal(bot, { userId: USERS.alice, alias: 'www', paths: '/one' });
    if (!request) throw new Error('no request stored');

    const reply = await command(USERS.alice, `status ${request.id.slice(-8)}`);

    expect(reply.all).toContain(request.id);
  });

  it('answers an id that is not one, and one that does not exist', async () => {
    for (const id of ['nope', '01JD2X3Y4Z5A6B7C8D9E0F1G2H']) {
      const reply = await command(USERS.alice, `status ${id}`);
      expect(reply.text).toMatch(new RegExp(`^:warning: No request \`${id}\``));
    }
  });
});
