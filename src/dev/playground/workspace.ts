import { randomBytes } from 'node:crypto';

/**
 * What the playground's Slack stand-in remembers: messages (with threads and
 * ephemerals), each person's open modal and App Home view, uploaded files,
 * and the trigger ids it handed out. In memory only: a restart starts an
 * empty workspace, while the bot's requests live on in .data/.
 * Every change bumps `version` and tells the listeners (the page's event stream).
 */

export interface Message {
  channel: string;
  ts: string;
  threadTs?: string;
  /** Who posted it: the bot's user id, or a person's for their own command echo. */
  user: string;
  text: string;
  blocks?: unknown[];
  /** Only this person sees it ("Only visible to you"). */
  visibleTo?: string;
  /** A person's typed slash command, shown back to them. */
  command?: boolean;
  /** Said by the playground itself (e.g. the bot answered with an HTTP error), never by the bot. */
  fromPlayground?: boolean;
  edited?: boolean;
}

/** Slack's view object as the bot sent it, with the fields Slack adds. */
export type View = Record<string, unknown> & { id: string; blocks?: unknown[] };

/** Values a person entered, in Slack's `view.state.values` shape: block id → action id → value. */
export type ViewValues = Record<string, Record<string, Record<string, unknown>>>;

export interface OpenModal {
  view: View;
  values: ViewValues;
  /** Inline errors by block id, from `response_action: errors`. */
  errors: Record<string, string>;
  /** Bumped whenever the modal must be drawn again (new view, errors). */
  revision: number;
}

export interface StoredFile {
  id: string;
  name: string;
  mimetype: string;
  user: string;
  content: Buffer;
  created: number;
}

export interface Trigger {
  userId: string;
}

export class Workspace {
  readonly messages: Message[] = [];
  /** A stack per person: views.push adds, closing or clearing empties. */
  readonly modals = new Map<string, OpenModal[]>();
  readonly homes = new Map<string, View>();
  readonly files = new Map<string, StoredFile>();
  readonly triggers = new Map<string, Trigger>();
  /** response_url ids handed to the bot, and where an answer to them goes. */
  readonly responseUrls = new Map<string, { userId: string; channel: string; messageTs?: string }>();
  version = 0;
  private readonly listeners = new Set<() => void>();
  private tsCounter = 0;
  private idCounter = 0;

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  /** Unique and increasing, shaped like Slack's message ts (seconds.micros). */
  nextTs(): string {
    const nowMicros = Date.now() * 1000;
    this.tsCounter = Math.max(this.tsCounter + 1, nowMicros);
    return `${Math.floor(this.tsCounter / 1e6)}.${String(this.tsCounter % 1e6).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.idCounter++;
    return `${prefix}0PG${String(this.idCounter).padStart(6, '0')}`;
  }

  newTrigger(trigger: Trigger): string {
    const id = `${Date.now()}.${this.idCounter++}.${randomBytes(8).toString('hex')}`;
    this.triggers.set(id, trigger);
    return id;
  }

  post(message: Message): Message {
    this.messages.push(message);
    this.changed();
    return message;
  }

  find(channel: string, ts: string): Message | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts && m.visibleTo === undefined);
  }

  topModal(userId: string): OpenModal | undefined {
    return this.modals.get(userId)?.at(-1);
  }

  /** The open modal with this view id (or, for views.update, this external id), and whose it is. */
  modalOwner(
    viewId: string | undefined,
    externalId?: string,
  ): { userId: string; modal: OpenModal } | undefined {
    for (const [userId, stack] of this.modals) {
      const modal = stack.find((m) =>
        viewId !== undefined
          ? m.view.id === viewId
          : externalId !== undefined && m.view.external_id === externalId,
      );
      if (modal) return { userId, modal };
    }
    return undefined;
  }

  homeOwner(viewId: string): string | undefined {
    for (const [userId, view] of this.homes) if (view.id === viewId) return userId;
    return undefined;
  }
}
