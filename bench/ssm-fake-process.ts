import { startSsmFake } from '../test/support/ssm-fake';

/**
 * The loopback SSM fake in a process of its own (the cold starts run with spawnSync, which
 * blocks the benchmark's own event loop), holding the bench's two Slack secrets. Prints its
 * endpoint and parameter names as one JSON line, then serves until stdin closes or SIGTERM.
 */
export interface SsmFakeEndpoint {
  ssmEndpoint: string;
  signingSecretParam: string;
  botTokenParam: string;
}

async function main(): Promise<void> {
  const signingSecretParam = '/cloudfront-invalidation-bot/bench/slack-signing-secret';
  const botTokenParam = '/cloudfront-invalidation-bot/bench/slack-bot-token';
  const fake = await startSsmFake({
    [signingSecretParam]: process.env.BENCH_SIGNING_SECRET ?? '',
    [botTokenParam]: 'xoxb-bench-token',
  });
  const stop = (): void => {
    void fake.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
  const endpoint: SsmFakeEndpoint = { ssmEndpoint: fake.endpoint, signingSecretParam, botTokenParam };
  process.stdout.write(`${JSON.stringify(endpoint)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`SSM fake failed to start: ${String(error)}\n`);
  process.exit(1);
});
