import { App, ExpressReceiver } from '@slack/bolt';
import serverless from 'serverless-http';

/**
 * The baseline for the cold-start comparison: the least a Bolt app on Lambda
 * can be (receiver, one command, serverless-http), bundled exactly like
 * dist/slack.js. Whatever the real bundle costs beyond this is ours.
 */
const receiver = new ExpressReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  processBeforeResponse: true,
});

// As in src/slack/create-app.ts: `authorize` instead of `token`, or Bolt 5 calls auth.test on
// every request, and the bare app could not answer a command without reaching slack.com.
const botToken = process.env.SLACK_BOT_TOKEN ?? '';
const app = new App({
  receiver,
  authorize: async () => ({ botToken }),
});

app.command('/invalidate', async ({ ack }) => {
  await ack();
});

export const handler = serverless(receiver.app);
