import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../app/deps';
import { appHomeOpenedHandler } from './app-home-opened';

export function register(app: App, deps: BotDeps): void {
  app.event('app_home_opened', appHomeOpenedHandler(deps));
}
