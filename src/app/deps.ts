import type { BotConfig } from '../config/bot-config';
import type { Kicker } from './kick';
import type { Clock, InvalidationGateway, Messenger, RequestStore, UserGroupDirectory } from './ports';

export interface BotSettings {
  /** Simulate invalidations; every message says "dry run". */
  dryRun: boolean;
  /** Pause between re-checks within one poller run. */
  pollIntervalMs: number;
  /** How long one poller run may keep re-checking. */
  pollBudgetMs: number;
  /** Delay before the one "still in progress" thread reply. */
  stillInProgressAfterMs: number;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Everything a use case needs, passed in so tests run the real code against local servers. */
export interface BotDeps {
  config: BotConfig;
  settings: BotSettings;
  store: RequestStore;
  gateway: InvalidationGateway;
  messenger: Messenger;
  groups: UserGroupDirectory;
  /** Hands follow-up work to the worker (the poller function) after a Slack request's write. */
  kicker: Kicker;
  clock: Clock;
  newId: () => string;
  log: Logger;
}
