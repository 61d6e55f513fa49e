import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../app/deps';
import { CARD_ACTIONS } from '../../messages/request-card';
import { decisionHandler } from './decide';

export function register(app: App, deps: BotDeps): void {
  app.action(CARD_ACTIONS.approve, decisionHandler(deps, 'approve'));
  app.action(CARD_ACTIONS.reject, decisionHandler(deps, 'reject'));
  app.action(CARD_ACTIONS.cancel, decisionHandler(deps, 'cancel'));
}
