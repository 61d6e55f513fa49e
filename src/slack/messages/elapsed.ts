/**
 * "45s", "1m 12s", "2h 5m", "3d 4h": the two largest units, dropping a zero
 * second unit ("2m", not "2m 0s"). Anything that is not a duration reads "0s".
 */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0s';
  const totalSeconds = Math.round(ms / 1000);
  const units: [number, string][] = [
    [Math.floor(totalSeconds / 86_400), 'd'],
    [Math.floor(totalSeconds / 3_600) % 24, 'h'],
    [Math.floor(totalSeconds / 60) % 60, 'm'],
    [totalSeconds % 60, 's'],
  ];
  const first = units.findIndex(([value]) => value > 0);
  if (first === -1) return '0s';
  return units
    .slice(first, first + 2)
    .filter(([value], i) => i === 0 || value > 0)
    .map(([value, unit]) => `${value}${unit}`)
    .join(' ');
}

/** Milliseconds from `startIso` to `endIso`, or undefined when either is missing or unreadable. */
export function elapsedMs(startIso: string | undefined, endIso: string | undefined): number | undefined {
  if (startIso === undefined || endIso === undefined) return undefined;
  const ms = Date.parse(endIso) - Date.parse(startIso);
  return Number.isNaN(ms) ? undefined : ms;
}
