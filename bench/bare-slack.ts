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

const app = new App({
  token: process.env.SLACK_BOT_TOKEN ?? '',
  receiver,
  tokenVerificationEnabled: false,
});

app.command('/invalidate', async ({ ack }) => {
  await ack();
});

export const handler = serverless(receiver.app);
