import type { App } from '@slack/bolt';
import type { BotDeps } from '../../app/deps';
import * as actions from './actions';
import * as commands from './commands';
import * as events from './events';
import * as options from './options';
import * as views from './views';

/** Table of contents: what the bot answers, surface by surface. */
export function registerListeners(app: App, deps: BotDeps): void {
  commands.register(app, deps);
  views.register(app, deps);
  actions.register(app, deps);
  options.register(app, deps);
  events.register(app, deps);
}
