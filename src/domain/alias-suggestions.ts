/**
 * "Did you mean …" for a distribution alias nobody configured: the known aliases closest to
 * what was typed (a typo of one or two letters, or a prefix), nearest first.
 */
export function suggestAliases(typed: string, aliases: readonly string[], max = 3): string[] {
  const word = typed.toLowerCase();
  const scored = aliases
    .map((alias) => ({
      alias,
      distance: alias.startsWith(word) && word.length >= 2 ? 0.5 : editDistance(word, alias),
    }))
    .filter((s) => s.distance <= Math.max(1, Math.min(2, Math.floor(s.alias.length / 3))))
    .sort((a, b) => a.distance - b.distance || a.alias.localeCompare(b.alias));
  return scored.slice(0, max).map((s) => s.alias);
}

/** Levenshtein distance: insertions, deletions and substitutions each cost one. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
