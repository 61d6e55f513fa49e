/** The message of a start-up error with one or more problems: inline for one, a list for several. */
export function problemList(heading: string, problems: readonly string[]): string {
  return problems.length === 1
    ? `${heading}: ${problems[0]}`
    : `${heading}:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}
