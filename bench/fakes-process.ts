import { SELF_ID, STAGING_ID, USERS, WWW_ID } from '../test/support/bot';
import { startCloudFrontFake } from '../test/support/cloudfront-fake';
import { startDynalite } from '../test/support/dynalite';
import { startSlackFake } from '../test/support/slack-fake';

/**
 * The loopback fakes (dynalite, the Slack Web API fake, the CloudFront fake) in
 * a process of their own, so that the benchmark process's CPU time is only the
 * bot's: our code, the SDKs and Bolt. Prints its endpoints as one JSON line on
 * stdout, then serves until stdin closes (the parent exits) or SIGTERM.
 */
export interface FakeEndpoints {
  dynamoEndpoint: string;
  tableName: string;
  slackApiUrl: string;
  cloudfrontEndpoint: string;
}

async function main(): Promise<void> {
  const [dynamo, slack, cloudfront] = await Promise.all([
    startDynalite(),
    startSlackFake(),
    startCloudFrontFake({ distributions: [WWW_ID, STAGING_ID, SELF_ID], completeAfterChecks: 1 }),
  ]);
  // The approver group in the bench config resolves, as it would in a real workspace.
  slack.setUserGroup('S0SREGROUP', [USERS.eve]);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await Promise.allSettled([dynamo.stop(), slack.close(), cloudfront.stop()]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.on('close', () => void stop());
  process.stdin.resume();

  const endpoints: FakeEndpoints = {
    dynamoEndpoint: dynamo.endpoint,
    tableName: dynamo.tableName,
    slackApiUrl: slack.apiUrl,
    cloudfrontEndpoint: cloudfront.endpoint,
  };
  process.stdout.write(`${JSON.stringify(endpoints)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`fakes failed to start: ${String(error)}\n`);
  process.exit(1);
});
