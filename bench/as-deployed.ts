import { spawnSync } from 'node:child_process';
import { deployedNodeOptions } from './cold';

/**
 * The warm figures are taken in the bench's own process, so that process runs with the Node
 * flags serverless.yml deploys the functions with (NODE_OPTIONS). One of them caps V8's young
 * generation, which sets what a garbage collection costs the request it lands in.
 */

/** The flags of a NODE_OPTIONS value (serverless.yml's has no quoted spaces). */
export function nodeFlags(nodeOptions: string): string[] {
  return nodeOptions.split(/\s+/).filter((flag) => flag !== '');
}

/** The deployed flags a process started with `execArgv` lacks, in their deployed order. */
export function missingFlags(nodeOptions: string, execArgv: readonly string[]): string[] {
  return nodeFlags(nodeOptions).filter((flag) => !execArgv.includes(flag));
}

/**
 * Runs this script again, with the deployed flags it lacks, and returns that run's exit code;
 * `undefined` when it already has them all. Flags, not the NODE_OPTIONS variable: the fakes and
 * the cold starts this process spawns set their own environment.
 */
export function relaunchAsDeployed(root: string): number | undefined {
  const missing = missingFlags(deployedNodeOptions(root), process.execArgv);
  if (missing.length === 0) return undefined;
  const run = spawnSync(process.execPath, [...missing, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  return run.status ?? 1;
}
