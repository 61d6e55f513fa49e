import type { CreateRefusal } from '../../app/create-request';
import { escapeMrkdwn, mention } from './mrkdwn';

/** The words for a request refused before anything was stored (mrkdwn; the modal shows it as plain text). */
export function requestRefusalText(refusal: CreateRefusal): string {
  switch (refusal.code) {
    case 'unknown-distribution': {
      const typed = `\`${escapeMrkdwn(refusal.typed)}\``;
      const guess =
        refusal.suggestions.length === 0
          ? ''
          : ` Did you mean ${refusal.suggestions.map((a) => `\`${a}\``).join(' or ')}?`;
      const yours =
        refusal.allowed.length === 0
          ? ' You may not request invalidations on any distribution; ask an admin to add you as a requester.'
          : ` Yours to use: ${refusal.allowed.map((a) => `\`${a}\``).join(', ')}.`;
      return `No distribution ${typed}.${guess}${yours}`;
    }
    case 'break-glass-not-listed': {
      const who =
        refusal.breakGlass.length === 0
          ? 'Nobody may break glass on it.'
          : `Only ${[...new Set(refusal.breakGlass)].map(mention).join(', ')} may.`;
      return `You may not skip approval (break-glass) on \`${refusal.alias}\`. ${who} Nothing was requested; ask without break-glass to go through approval.`;
    }
    case 'break-glass-needs-reason':
      return `Break-glass skips approval, so it needs a reason: say why (the approvers review it afterwards). Nothing was requested.`;
    case 'reason-required':
      return `\`${refusal.alias}\` needs a reason for every request, so approvers know why. Nothing was requested.`;
  }
}
