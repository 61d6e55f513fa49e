import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../app/deps';
import { invalidateCommand } from './invalidate';

export function register(app: App, deps: BotDeps): void {
  app.command('/invalidate', invalidateCommand(deps));
}
