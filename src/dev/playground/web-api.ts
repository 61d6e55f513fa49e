import { BOT, dmChannelOf, PEOPLE, USER_GROUPS } from './people';
import type { Message, StoredFile, View, Workspace } from './workspace';

/**
 * The Slack Web API methods the bot calls, answered from the playground's
 * workspace in Slack's own shapes (`{ ok: true, … }`, or `{ ok: false, error }`
 * with HTTP 200, as Slack reports errors). A method the playground does not
 * serve answers `unknown_method` and is reported on the console, never ignored.
 */

export const TEAM = { id: 'T0PLAYGRND', domain: 'playground', appId: 'A0PLAYGRND' } as const;

export type Args = Record<string, unknown>;
export type Answer = Record<string, unknown>;

export interface WebApiOptions {
  workspace: Workspace;
  botToken: string;
  /** Where the bot reaches the playground (file downloads). */
  origin: string;
  /** Where a person's browser reaches it (permalinks). */
  pageOrigin: string;
  report: (line: string) => void;
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const ok = (body: Answer = {}): Answer => ({ ok: true, ...body });
const notOk = (error: string): Answer => ({ ok: false, error });

/** Posting to a user id lands in the bot's DM with them, as in Slack. */
function conversationOf(channel: string): string {
  return /^[UW]/.test(channel) ? dmChannelOf(channel) : channel;
}

export function blocksOf(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function viewOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function fileObject(file: StoredFile, origin: string): Answer {
  const url = `${origin}/files/${file.id}/${encodeURIComponent(file.name)}`;
  return {
    id: file.id,
    created: Math.floor(file.created / 1000),
    timestamp: Math.floor(file.created / 1000),
    name: file.name,
    title: file.name,
    mimetype: file.mimetype,
    filetype: file.mimetype.startsWith('text/') ? 'text' : 'binary',
    pretty_type: file.mimetype.startsWith('text/') ? 'Plain Text' : 'Binary',
    user: file.user,
    size: file.content.length,
    mode: 'hosted',
    is_external: false,
    is_public: false,
    url_private: url,
    url_private_download: `${url}?download=1`,
    permalink: url,
  };
}

export function slackWebApi(options: WebApiOptions) {
  const { workspace } = options;

  const storedView = (view: Record<string, unknown>, id: string): View => ({
    ...view,
    id,
    team_id: TEAM.id,
    app_id: TEAM.appId,
    bot_id: BOT.botId,
    hash: `${Date.now()}.${id}`,
    root_view_id: id,
    previous_view_id: null,
    state: { values: {} },
  });

  const permalink = (channel: string, ts: string): string =>
    `${options.pageOrigin}/#${messageAnchor(channel, ts)}`;

  const postMessage = (args: Args, visibleTo?: string): Answer => {
    const channel = str(args.channel);
    if (!channel) return notOk('channel_not_found');
    const blocks = blocksOf(args.blocks);
    if (!str(args.text) && !blocks) return notOk('no_text');
    const threadTs = str(args.thread_ts);
    const message: Message = {
      channel: conversationOf(channel),
      ts: workspace.nextTs(),
      user: BOT.userId,
      text: str(args.text) ?? '',
      ...(blocks ? { blocks } : {}),
      ...(threadTs ? { threadTs } : {}),
      ...(visibleTo ? { visibleTo } : {}),
    };
    workspace.post(message);
    return visibleTo
      ? ok({ message_ts: message.ts })
      : ok({
          channel: message.channel,
          ts: message.ts,
          message: {
            type: 'message',
            user: BOT.userId,
            bot_id: BOT.botId,
            text: message.text,
            ts: message.ts,
          },
        });
  };

  const methods: Record<string, (args: Args) => Answer> = {
    'auth.test': () =>
      ok({
        url: `${options.pageOrigin}/`,
        team: 'Playground',
        user: BOT.name,
        team_id: TEAM.id,
        user_id: BOT.userId,
        bot_id: BOT.botId,
      }),
    'chat.postMessage': (args) => postMessage(args),
    'chat.postEphemeral': (args) => {
      const user = str(args.user);
      if (!user) return notOk('user_not_in_channel');
      return postMessage(args, user);
    },
    'chat.update': (args) => {
      const channel = str(args.channel);
      const ts = str(args.ts);
      if (!channel) return notOk('channel_not_found');
      const message = ts ? workspace.find(conversationOf(channel), ts) : undefined;
      if (!message) return notOk('message_not_found');
      if (str(args.text) !== undefined) message.text = str(args.text) ?? '';
      const blocks = blocksOf(args.blocks);
      if (blocks) message.blocks = blocks;
      message.edited = true;
      workspace.changed();
      return ok({ channel: message.channel, ts: message.ts, text: message.text });
    },
    'chat.getPermalink': (args) => {
      const channel = str(args.channel);
      const ts = str(args.message_ts);
      if (!channel || !ts || !workspace.find(conversationOf(channel), ts)) return notOk('message_not_found');
      return ok({ channel, permalink: permalink(conversationOf(channel), ts) });
    },
    'conversations.open': (args) => {
      const user = str(args.users)?.split(',')[0]?.trim();
      if (!user) return notOk('users_list_not_supplied');
      return ok({ channel: { id: dmChannelOf(user) } });
    },
    'views.open': (args) => openModal(args, false),
    'views.push': (args) => openModal(args, true),
    'views.update': (args) => {
      const view = viewOf(args.view);
      if (!view) return notOk('invalid_arguments');
      const id = str(args.view_id);
      const owner = workspace.modalOwner(id, str(args.external_id));
      if (owner?.modal) {
        owner.modal.view = storedView(view, owner.modal.view.id);
        owner.modal.errors = {};
        owner.modal.revision++;
        workspace.changed();
        return ok({ view: owner.modal.view });
      }
      const homeUser = id ? workspace.homeOwner(id) : undefined;
      if (homeUser && id) {
        const stored = storedView(view, id);
        workspace.homes.set(homeUser, stored);
        workspace.changed();
        return ok({ view: stored });
      }
      return notOk('not_found');
    },
    'views.publish': (args) => {
      const user = str(args.user_id);
      const view = viewOf(args.view);
      if (!user || !view) return notOk('invalid_arguments');
      const stored = storedView(view, workspace.homes.get(user)?.id ?? workspace.nextId('V'));
      workspace.homes.set(user, stored);
      workspace.changed();
      return ok({ view: stored });
    },
    'usergroups.users.list': (args) => {
      const group = USER_GROUPS.find((g) => g.id === str(args.usergroup));
      return group ? ok({ users: [...group.members] }) : notOk('no_such_subteam');
    },
    'users.info': (args) => {
      const person = PEOPLE.find((p) => p.id === str(args.user));
      if (!person) return notOk('user_not_found');
      return ok({
        user: {
          id: person.id,
          team_id: TEAM.id,
          name: person.name,
          real_name: person.name,
          is_bot: false,
          deleted: false,
          tz: 'UTC',
          profile: { real_name: person.name, display_name: person.name },
        },
      });
    },
    'files.info': (args) => {
      const file = workspace.files.get(str(args.file) ?? '');
      return file
        ? ok({ file: fileObject(file, options.origin), comments: [], response_metadata: { next_cursor: '' } })
        : notOk('file_not_found');
    },
  };

  function openModal(args: Args, push: boolean): Answer {
    const trigger = workspace.triggers.get(str(args.trigger_id) ?? '');
    const view = viewOf(args.view);
    if (!trigger) return notOk('invalid_trigger_id');
    if (!view) return notOk('invalid_arguments');
    // A trigger id opens one view, as in Slack.
    workspace.triggers.delete(str(args.trigger_id) ?? '');
    const stored = storedView(view, workspace.nextId('V'));
    const stack = push ? (workspace.modals.get(trigger.userId) ?? []) : [];
    stack.push({ view: stored, values: {}, errors: {}, revision: 0 });
    workspace.modals.set(trigger.userId, stack);
    workspace.changed();
    return ok({ view: stored });
  }

  return {
    call(method: string, args: Args, token: string | undefined): Answer {
      if (token !== options.botToken) return notOk(token ? 'invalid_auth' : 'not_authed');
      const run = methods[method];
      if (!run) {
        options.report(
          `the bot called ${method}, which the playground does not serve (answered unknown_method)`,
        );
        return notOk('unknown_method');
      }
      return run(args);
    },
  };
}

/** The page's element id of a message, which permalinks point at. */
export function messageAnchor(channel: string, ts: string): string {
  return `m-${channel}-${ts.replace('.', '-')}`;
}
