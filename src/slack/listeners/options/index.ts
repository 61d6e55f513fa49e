import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../app/deps';
import { REQUEST_MODAL } from '../../views/request-modal';
import { distributionOptionsHandler } from './distribution';

export function register(app: App, deps: BotDeps): void {
  app.options(REQUEST_MODAL.distribution, distributionOptionsHandler(deps));
}
