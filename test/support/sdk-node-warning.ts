/**
 * Vitest setup (every worker): drops exactly one warning, the AWS SDK's NodeVersionSupportWarning
 * ("versions published after the first week of January 2027 will require node >=22"), which each
 * worker printed once: 17 copies per run, over half the output. The suite runs on Node 24 too
 * (.ci/run); the global setup (./sdk-node-warning-note.ts) says once per run that it is filtered.
 * Every other warning passes through unchanged.
 */
const original = process.emitWarning.bind(process);

function isSdkNodeVersionWarning(warning: unknown): boolean {
  const text = warning instanceof Error ? warning.message : String(warning);
  return text.startsWith('NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)');
}

process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (isSdkNodeVersionWarning(warning)) return;
  (original as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
