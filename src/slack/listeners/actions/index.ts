import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../app/deps';
import { CARD_ACTIONS, REQUEST_AGAIN_ACTION } from '../../messages/request-card';
import { decisionHandler } from './decide';
import { openRejectFormHandler } from './open-reject-form';
import { requestAgainHandler } from './request-again';

export function register(app: App, deps: BotDeps): void {
  app.action(CARD_ACTIONS.approve, decisionHandler(deps, 'approve'));
  // Reject asks for an optional reason first; its form's submission rejects (views/reject-submission).
  app.action(CARD_ACTIONS.reject, openRejectFormHandler(deps));
  app.action(REQUEST_AGAIN_ACTION, requestAgainHandler(deps));
  app.action(CARD_ACTIONS.cancel, decisionHandler(deps, 'cancel'));
}
