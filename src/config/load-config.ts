import type * as z from '../shared/zod';
import { type BotConfig, botConfigSchema, type DistributionConfig } from './bot-config';
import { problemList } from './problem-list';

/**
 * Start-up loading of the bot config (README "Config"). Pure: the file read
 * is injected, so a wrong config is reported the same way in tests and Lambda.
 */

export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(
    /** Where the config came from, e.g. `BOT_CONFIG_FILE=/etc/bot.json`. */
    readonly source: string,
    /** One line per problem, each naming the field (`distributions[1].id: …`). */
    readonly problems: readonly string[],
  ) {
    super(problemList(`Invalid bot config (${source})`, problems));
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env, readFile: (path: string) => string): BotConfig {
  const { source, text } = readConfigText(env, readFile);
  const json = parseJson(text, source);
  const result = botConfigSchema.safeParse(json, { error: friendlyMessage });
  if (!result.success) {
    throw new ConfigError(source, describeIssues(result.error.issues, json));
  }
  return result.data;
}

/** Aliases are lower-case by schema; people type `/invalidate WWW` too. */
export function findDistribution(config: BotConfig, alias: string): DistributionConfig | undefined {
  const wanted = alias.trim().toLowerCase();
  return config.distributions.find((d) => d.alias === wanted);
}

export function approvalChannelFor(config: BotConfig, distribution: DistributionConfig): string {
  return distribution.channel ?? config.approvalChannel;
}

function readConfigText(env: Env, readFile: (path: string) => string): { source: string; text: string } {
  // Blank counts as unset: deploy templates often write `BOT_CONFIG: ''` for the unused one.
  const inline = blankToUndefined(env.BOT_CONFIG);
  const path = blankToUndefined(env.BOT_CONFIG_FILE);
  if (inline !== undefined && path !== undefined) {
    // Ambiguity is worse than a refusal: nobody should have to guess which one won.
    throw new ConfigError('BOT_CONFIG and BOT_CONFIG_FILE', [
      'set only one of BOT_CONFIG or BOT_CONFIG_FILE, not both',
    ]);
  }
  if (inline !== undefined) return { source: 'BOT_CONFIG', text: inline };
  if (path === undefined) {
    throw new ConfigError('environment', [
      'no config: set BOT_CONFIG (the JSON itself) or BOT_CONFIG_FILE (a path to it)',
    ]);
  }
  const source = `BOT_CONFIG_FILE=${path}`;
  try {
    return { source, text: readFile(path) };
  } catch (error) {
    throw new ConfigError(source, [
      `cannot read the file: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function parseJson(text: string, source: string): unknown {
  // Editors on Windows like to save a byte-order mark, which JSON.parse rejects.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(source, [`not valid JSON: ${message}${jsonLocation(body, message)}`]);
  }
}

/** V8 names a character offset for some errors; people need a line and column. */
function jsonLocation(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  const position =
    at?.[1] !== undefined ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : undefined;
  if (position === undefined || /\bline \d+/.test(message)) return '';
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/**
 * Zod's stock messages ("Invalid input: expected string, received undefined")
 * are for developers. Schema-level messages in bot-config.ts take precedence over
 * this map, so only the stock ones are replaced.
 */
function friendlyMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${typeName(issue.expected)} (got ${valueKind(issue.input)})`;
    case 'too_small':
      return sizeMessage('at least', issue.origin, Number(issue.minimum), issue.inclusive !== false);
    case 'too_big':
      return sizeMessage('at most', issue.origin, Number(issue.maximum), issue.inclusive !== false);
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    default:
      return undefined;
  }
}

function typeName(expected: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
  };
  return names[expected] ?? expected;
}

function valueKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'a fraction';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function sizeMessage(
  bound: 'at least' | 'at most',
  origin: string,
  limit: number,
  inclusive: boolean,
): string {
  if (origin === 'number') {
    if (inclusive) return `must be ${bound} ${limit}`;
    return `must be ${bound === 'at least' ? 'greater' : 'less'} than ${limit}`;
  }
  if (origin === 'string') {
    if (bound === 'at least' && limit === 1) return 'must not be empty';
    return `must be ${bound} ${limit} characters`;
  }
  if (origin === 'array') return `must list ${bound} ${limit} ${limit === 1 ? 'entry' : 'entries'}`;
  return `must be ${bound} ${limit}`;
}

function describeIssues(issues: readonly Issue[], input: unknown): string[] {
  const lines = issues.flatMap((issue) => explain(issue, [], input));
  return [...new Set(lines)];
}

type Path = readonly PropertyKey[];

function explain(issue: Issue, parent: Path, input: unknown): string[] {
  const path = [...parent, ...issue.path];
  if (issue.code === 'invalid_union' && issue.message === 'Invalid input') {
    // A union without its own message: show the branch that got furthest, which
    // names the actual bad element (`requesters[1]`) instead of the whole list.
    const best = deepestBranch(issue.errors);
    if (best !== undefined) return best.flatMap((inner) => explain(inner, path, input));
    return [line(path, unionFallback(path))];
  }
  if (path[path.length - 2] === 'requesters' && valueAt(input, path) === '*') {
    return [line(path, '"*" (anyone) must be the only entry in requesters')];
  }
  return [line(path, issue.message)];
}

function deepestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  let best: readonly Issue[] | undefined;
  let bestDepth = 0;
  for (const branch of branches) {
    const depth = Math.max(0, ...branch.map((i) => i.path.length));
    if (depth > bestDepth) {
      best = branch;
      bestDepth = depth;
    }
  }
  return best;
}

function unionFallback(path: Path): string {
  if (path[path.length - 1] === 'requesters') {
    return 'must be ["*"] or a non-empty list of Slack user ids (U…/W…) and user-group ids (S…)';
  }
  return 'is not valid';
}

function valueAt(input: unknown, path: Path): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** `['distributions', 2, 'approvers', 0]` → `distributions[2].approvers[0]`. */
export function formatPath(path: Path): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text === '' ? '(the whole document)' : text;
}

function line(path: Path, message: string): string {
  return `${formatPath(path)}: ${message}`;
}
