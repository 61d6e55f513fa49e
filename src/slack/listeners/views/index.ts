import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../app/deps';
import { REQUEST_MODAL } from '../../views/request-modal';
import { requestSubmissionHandler } from './request-submission';

export function register(app: App, deps: BotDeps): void {
  app.view(REQUEST_MODAL.callbackId, requestSubmissionHandler(deps));
}
