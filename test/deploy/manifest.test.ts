import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * manifest.json creates the Slack app in one paste. These checks keep it in step with the
 * deployed route and with the Web API methods the code calls.
 */

const root = path.resolve(__dirname, '../..');
const EVENTS_PATH = '/slack/events';

const httpsUrl = z.url({ protocol: /^https$/ });
const manifestSchema = z.object({
  _metadata: z.object({ major_version: z.literal(1), minor_version: z.number().int() }),
  display_information: z.object({
    name: z.string().min(1).max(35),
    description: z.string().min(1).max(140),
    long_description: z.string().min(175).max(4000).optional(),
    background_color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/)
      .optional(),
  }),
  features: z.object({
    app_home: z.object({
      home_tab_enabled: z.literal(true),
      messages_tab_enabled: z.literal(true),
      messages_tab_read_only_enabled: z.boolean(),
    }),
    bot_user: z.object({ display_name: z.string().min(1).max(80), always_online: z.boolean() }),
    slash_commands: z
      .array(
        z.object({
          command: z.string().regex(/^\/[a-z0-9_-]+$/),
          url: httpsUrl,
          description: z.string().min(1).max(2000),
          usage_hint: z.string().max(1000),
          should_escape: z.boolean(),
        }),
      )
      .length(1),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }).strict() }),
  settings: z.object({
    event_subscriptions: z.object({ request_url: httpsUrl, bot_events: z.array(z.string()) }),
    interactivity: z.object({
      is_enabled: z.literal(true),
      request_url: httpsUrl,
      message_menu_options_url: httpsUrl,
    }),
    org_deploy_enabled: z.boolean(),
    socket_mode_enabled: z.literal(false),
    token_rotation_enabled: z.literal(false),
  }),
});

const manifest = manifestSchema.parse(JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8')));
const botScopes = manifest.oauth_config.scopes.bot;

describe('manifest.json', () => {
  it('defines /invalidate with its usage hint', () => {
    const [command] = manifest.features.slash_commands;
    expect(command?.command).toBe('/invalidate');
    expect(command?.usage_hint).toBe('[alias] [paths…] | status [id] | help');
  });

  it('sends commands, interactivity, options and events to the one deployed route', () => {
    const urls = [
      manifest.features.slash_commands[0]?.url,
      manifest.settings.interactivity.request_url,
      manifest.settings.interactivity.message_menu_options_url,
      manifest.settings.event_subscriptions.request_url,
    ];
    expect(new Set(urls).size).toBe(1);
    for (const url of urls) expect(new URL(url ?? '').pathname).toBe(EVENTS_PATH);
    // The same path serverless.yml routes to the slack function.
    const yml = readFileSync(path.join(root, 'serverless.yml'), 'utf8');
    expect(yml).toMatch(new RegExp(`method: POST\\s+path: ${EVENTS_PATH}\\n`));
  });

  it('has the App Home tab, the app_home_opened event and HTTP delivery (no Socket Mode)', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.token_rotation_enabled).toBe(false);
  });

  it('asks for exactly the bot scopes the bot is designed to use', () => {
    expect([...botScopes].sort()).toEqual(['chat:write', 'commands', 'files:read', 'usergroups:read']);
    // Slash commands need `commands`.
    expect(botScopes).toContain('commands');
  });
});

/**
 * The bot scope each Web API method needs (null: none). A call to a method not listed here fails
 * the scan below: add the method with its scope from Slack's method reference, and the scope to
 * manifest.json, in the same change.
 */
const scopeForMethod: Record<string, string | null> = {
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  'chat.delete': 'chat:write',
  'chat.getPermalink': null,
  'conversations.open': 'im:write',
  'views.open': null,
  'views.publish': null,
  'views.update': null,
  'views.push': null,
  'usergroups.users.list': 'usergroups:read',
  'users.info': 'users:read',
  // The modal's paths_file: files.info, then the private download with the same token.
  'files.info': 'files:read',
  'auth.test': null,
  // Bolt's say() is chat.postMessage in the current conversation.
  say: 'chat:write',
};

const METHOD_FAMILIES =
  'admin|api|apps|assistant|auth|bookmarks|bots|calls|canvases|chat|conversations|dialog|dnd|emoji|files|functions|pins|reactions|reminders|search|stars|team|usergroups|users|views|workflows';
const clientCall = new RegExp(`\\.\\s*(${METHOD_FAMILIES})((?:\\s*\\.\\s*[a-zA-Z]+)+)\\s*\\(`, 'g');
const apiCall = /\bapiCall\s*\(\s*['"`]([\w.]+)['"`]/g;
const sayCall = /\bsay\s*\(/g;

function slackMethodCalls(source: string): string[] {
  const code = source.replace(/^\s*(\/\/|\*).*$/gm, '');
  const methods = [...code.matchAll(clientCall)].map((m) => `${m[1]}${(m[2] ?? '').replace(/\s/g, '')}`);
  methods.push(...[...code.matchAll(apiCall)].map((m) => m[1] ?? ''));
  if (sayCall.test(code)) methods.push('say');
  sayCall.lastIndex = 0;
  return methods;
}

describe('bot scopes cover every Web API call in src/', () => {
  // src/dev/ is local tooling, not the bot: the playground serves the Web API rather than calling
  // it, and the Socket Mode check calls with the app token (scope connections:write, not a bot scope).
  const devTooling = path.join(root, 'src', 'dev');
  const files = readdirSync(path.join(root, 'src'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.startsWith(devTooling))
    .map((e) => path.join(e.parentPath, e.name));
  const calls = files.flatMap((file) =>
    slackMethodCalls(readFileSync(file, 'utf8')).map((method) => ({
      method,
      file: path.relative(root, file),
    })),
  );

  it('finds the calls (the scan itself works)', () => {
    expect(slackMethodCalls("await client.chat.postMessage({ channel: 'C1' })")).toEqual([
      'chat.postMessage',
    ]);
    expect(slackMethodCalls('await this.web.usergroups.users.list({})')).toEqual(['usergroups.users.list']);
    expect(slackMethodCalls("await client.apiCall('conversations.open', {})")).toEqual([
      'conversations.open',
    ]);
    expect(slackMethodCalls('// client.views.open(')).toEqual([]);
    expect(calls.length).toBeGreaterThan(0);
  });

  it('knows the scope of every method called', () => {
    const unknown = calls.filter((c) => !(c.method in scopeForMethod)).map((c) => `${c.method} (${c.file})`);
    expect(unknown, 'add these methods and their scopes to scopeForMethod').toEqual([]);
  });

  it('has each needed scope in manifest.json', () => {
    const missing = calls
      .filter((c) => {
        const scope = scopeForMethod[c.method];
        return scope != null && !botScopes.includes(scope);
      })
      .map((c) => `${c.method} needs ${scopeForMethod[c.method]} (${c.file})`);
    expect(missing).toEqual([]);
  });
});
