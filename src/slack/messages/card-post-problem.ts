/**
 * Why Slack would not post a request card, and what fixes it, for the requester's DM.
 * The codes are Slack's own (`chat.postMessage` errors); a code this does not know is still
 * named, so the person has something to search for.
 */
export interface CardPostProblem {
  /** Slack's error code, e.g. `not_in_channel`. */
  error: string;
  channel: string;
  /** The bot's user id, so the fix reads `/invite @bot`; absent when it could not be looked up. */
  botUserId?: string;
  /** For `missing_scope`: the scope Slack says is needed (`needed` in its answer). */
  neededScope?: string;
}

export function cardPostProblemText(problem: CardPostProblem): string {
  const channel = `<#${problem.channel}>`;
  const bot = problem.botUserId === undefined ? '@<the bot>' : `<@${problem.botUserId}>`;
  switch (problem.error) {
    case 'not_in_channel':
      return `I am not a member of ${channel}, so I could not post the approval card there. Fix: run \`/invite\` ${bot} in ${channel}, then request again.`;
    case 'channel_not_found':
      return `The approval channel ${channel} does not exist or I cannot see it (a private channel needs me invited). Fix: invite ${bot} there, or ask an admin to correct \`approvalChannel\` / \`channel\` in the bot config.`;
    case 'is_archived':
      return `The approval channel ${channel} is archived. Fix: ask an admin to unarchive it or to point \`approvalChannel\` / \`channel\` in the bot config at a live channel.`;
    case 'missing_scope':
      return `The Slack app lacks the \`${problem.neededScope ?? 'chat:write'}\` scope, so I could not post the approval card in ${channel}. Fix: an admin adds it under OAuth & Permissions and reinstalls the app.`;
    case 'restricted_action':
    case 'restricted_action_read_only_channel':
    case 'restricted_action_thread_only_channel':
    case 'restricted_action_non_threadable_channel':
      return `${channel} does not let me post messages there (\`${problem.error}\`). Fix: ask a channel admin to allow posting, or an admin to choose another approval channel.`;
    case 'invalid_auth':
    case 'token_revoked':
    case 'account_inactive':
    case 'not_authed':
      return `My Slack token is not valid any more (\`${problem.error}\`), so I could not post the approval card. Fix: an admin reinstalls the app and updates the bot token.`;
    default:
      return `Slack would not post the approval card in ${channel} (\`${problem.error}\`). Ask an admin to check the bot's access to that channel.`;
  }
}
