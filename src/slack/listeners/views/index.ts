import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../app/deps';
import { REJECT_MODAL } from '../../views/reject-modal';
import { REQUEST_MODAL } from '../../views/request-modal';
import { rejectSubmissionHandler } from './reject-submission';
import { requestSubmissionHandler } from './request-submission';

export function register(app: App, deps: BotDeps): void {
  app.view(REQUEST_MODAL.callbackId, requestSubmissionHandler(deps));
  app.view(REJECT_MODAL.callbackId, rejectSubmissionHandler(deps));
}
