import { describe, expect, it } from 'vitest';
import {
  cardTsOf,
  inlineErrors,
  storedRequest,
  submitModal,
  threadTexts,
  USERS,
  WWW_ID,
} from '../support/bot';
import { useBots } from '../support/use-bots';
import { CDN_ID, command, ITEMS_BOT, lastCardText, MULTI_ID, TENANT_A } from './items-fixture';

/** Cache tags, distribution tenants and routing by host, through the real handlers and the CloudFront fake. */

const start = useBots();

async function storedFor(bot: Awaited<ReturnType<typeof start>>, userId: string) {
  const { createDynamoRequestStore } = await import('../../src/store/dynamo-request-store');
  const store = createDynamoRequestStore({
    endpoint: bot.env.DYNAMODB_ENDPOINT,
    tableName: bot.env.TABLE_NAME ?? '',
  });
  return store.listByRequester(userId);
}

describe('cache tags', () => {
  it('sends #tags with the paths in Paths.Items, one tag for #A and #a, and shows them apart on the card', async () => {
    const bot = await start(ITEMS_BOT);
    const reply = await command(bot, USERS.alice, 'cdn /index.html #Product-42 #product-42 #release');
    const [request] = await storedFor(bot, USERS.alice);
    if (!request) throw new Error(`nothing stored: ${reply.all}`);

    const [create] = bot.cloudfront.state.callsOf('CreateInvalidation');
    expect(create).toMatchObject({
      status: 201,
      distributionId: CDN_ID,
      callerReference: request.id,
      paths: ['/index.html', '#product-42', '#release'],
    });
    // The confirmation says a duplicate was merged.
    expect(reply.all).toContain('1 duplicate merged');

    const card = await lastCardText(bot, request.id);
    expect(card).toContain('1 path · 2 cache tags');
    expect(card).toContain('*Cache tags*');
    expect(card).toContain('```\n#product-42\n#release\n```');
    // Each tag counts as one path for cost: 3 entries.
    expect(card).toMatch(/\$0\.015 if the allowance is used up/);
    const thread = threadTexts(bot, request.channel, cardTsOf(await storedRequest(bot, request.id)));
    expect(thread.join('\n')).toContain('Submitted 1 path and 2 cache tags');
  });

  it('refuses a tag where the distribution has no cache tags, naming the line, and stores nothing', async () => {
    const bot = await start(ITEMS_BOT);
    const reply = await command(bot, USERS.alice, 'staging /a #release');
    expect(reply.all).toContain('path 2: "#release": staging has no cache tags');
    expect(await storedFor(bot, USERS.alice)).toEqual([]);
    expect(bot.cloudfront.state.calls).toEqual([]);
  });

  it('refuses a malformed tag with CloudFront’s rule, naming it', async () => {
    const bot = await start(ITEMS_BOT);
    const reply = await command(bot, USERS.alice, 'cdn #ok #bad,tag #wild*');
    expect(reply.all).toContain('path 2: "#bad,tag": a cache tag cannot contain a comma');
    expect(reply.all).toContain('path 3: "#wild*": a cache tag cannot contain *');
  });
});

describe('distribution tenants', () => {
  it('a URL of a tenant’s domain is invalidated and followed through the tenant operations', async () => {
    const bot = await start(ITEMS_BOT);
    const reply = await command(
      bot,
      USERS.alice,
      'https://a.shop.example.net/app.css?v=3 https://a.shop.example.net/img/*',
    );
    const [request] = await storedFor(bot, USERS.alice);
    if (!request) throw new Error(`nothing stored: ${reply.all}`);
    expect(request).toMatchObject({
      distributionAlias: 'shop-a',
      distributionId: MULTI_ID,
      tenantId: TENANT_A,
    });

    expect(bot.cloudfront.state.callsOf('CreateInvalidation')).toEqual([]);
    const [create] = bot.cloudfront.state.callsOf('CreateInvalidationForDistributionTenant');
    expect(create).toMatchObject({
      status: 201,
      tenantId: TENANT_A,
      callerReference: request.id,
      paths: ['/app.css', '/img/*'],
    });
    expect(reply.all).toContain('query strings dropped from 1 URL');

    // The first status check is booked a moment after submission (the check timetable).
    bot.clock.advance(2_000);
    await bot.poll();
    const done = await storedRequest(bot, request.id);
    expect(done.status).toBe('COMPLETED');
    const gets = bot.cloudfront.state.callsOf('GetInvalidationForDistributionTenant');
    expect(gets.map((g) => [g.tenantId, g.invalidationId, g.status])).toEqual([
      [TENANT_A, create?.invalidationId, 200],
    ]);
    expect(bot.cloudfront.state.callsOf('GetInvalidation')).toEqual([]);
  });

  it('a tenant the fake does not know fails the request with a message naming the tenant', async () => {
    const bot = await start({ ...ITEMS_BOT, tenants: [] });
    await command(bot, USERS.alice, 'shop-a /a');
    const [request] = await storedFor(bot, USERS.alice);
    if (!request) throw new Error('nothing stored');
    const failed = await storedRequest(bot, request.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.lastError).toContain(`tenant ${TENANT_A} of distribution ${MULTI_ID}`);
    expect(failed.lastError).toContain('EntityNotFound');
  });
});

describe('routing by host', () => {
  it('a URL-only quick form goes to the target owning the hosts: exact beats wildcard', async () => {
    const bot = await start(ITEMS_BOT);
    await command(bot, USERS.alice, 'https://img.example.com/a.png https://CDN.example.com/b.png');
    await command(bot, USERS.bob, 'https://www.example.com/index.html');
    const [toCdn] = await storedFor(bot, USERS.alice);
    const [toWww] = await storedFor(bot, USERS.bob);
    expect(toCdn).toMatchObject({ distributionAlias: 'cdn', paths: ['/a.png', '/b.png'] });
    expect(toWww).toMatchObject({ distributionAlias: 'www', distributionId: WWW_ID, status: 'PENDING' });
  });

  it('URLs of several targets, or of none, are refused naming the lines; nothing is stored', async () => {
    const bot = await start(ITEMS_BOT);
    const several = await command(bot, USERS.alice, 'https://www.example.com/a https://img.example.com/b');
    expect(several.all).toContain('path 1: "https://www.example.com/a": www.example.com belongs to www');
    expect(several.all).toContain('path 2: "https://img.example.com/b": img.example.com belongs to cdn');
    const none = await command(bot, USERS.alice, 'https://img.example.com/b https://nobody.example.org/c');
    expect(none.all).toContain(
      'path 2: "https://nobody.example.org/c": no distribution lists nobody.example.org',
    );
    expect(await storedFor(bot, USERS.alice)).toEqual([]);
    expect(bot.cloudfront.state.calls).toEqual([]);
  });

  it('a URL of another target than the one picked is an inline error on the modal naming the line', async () => {
    const bot = await start(ITEMS_BOT);
    const { response, request } = await submitModal(bot, {
      userId: USERS.alice,
      alias: 'www',
      paths: '/index.html\nhttps://www.example.com/ok.css\nhttps://img.example.com/logo.png',
    });
    const body = inlineErrors(response);
    expect(body.response_action).toBe('errors');
    expect(body.errors.paths).toContain(
      'line 3: "https://img.example.com/logo.png": img.example.com belongs to cdn',
    );
    expect(request).toBeUndefined();
  });

  it('the modal with no distribution picked routes a URL-only list by host', async () => {
    const bot = await start(ITEMS_BOT);
    const { response, request } = await submitModal(bot, {
      userId: USERS.alice,
      paths: 'https://b.shop.example.net/a.js\nhttps://b.shop.example.net/b.js',
    });
    expect(response.statusCode).toBe(200);
    expect(request).toMatchObject({ distributionAlias: 'shop-b', tenantId: 'dt_shopB2' });
    expect(await lastCardText(bot, request?.id ?? '')).toContain('shop-b');
    expect(bot.cloudfront.state.callsOf('CreateInvalidationForDistributionTenant')[0]).toMatchObject({
      tenantId: 'dt_shopB2',
      paths: ['/a.js', '/b.js'],
    });
  });

  it('the modal with no distribution and plain paths asks for a distribution', async () => {
    const bot = await start(ITEMS_BOT);
    const { response } = await submitModal(bot, { userId: USERS.alice, paths: '/a' });
    const body = inlineErrors(response);
    expect(body.errors.distribution).toContain('Pick a distribution');
  });
});
