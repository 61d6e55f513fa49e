/** Vitest global setup: the one line that replaces the AWS SDK's per-worker Node version warning. */
export default function setup(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    process.stdout.write(
      `note: node ${process.version}: the AWS SDK's NodeVersionSupportWarning (SDK releases after January 2027 need node >= 22) is filtered in test workers (test/support/sdk-node-warning.ts); .ci/run also runs the suite on node 24\n`,
    );
  }
}
