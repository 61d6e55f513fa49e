/**
 * An error as log fields: name, message, stack and, recursively, its cause, the shape
 * Powertools' Logger writes. `String(error)` would keep only the first line.
 */
export interface ErrorFields {
  name: string;
  message: string;
  stack?: string;
  /** AWS SDK and Slack errors carry a machine-readable code beside the message. */
  code?: string;
  cause?: ErrorFields | unknown;
}

/** Deep enough for an SDK error wrapped twice; a cause chain that loops stops here too. */
const MAX_DEPTH = 5;

export function errorFields(error: Error, depth = 0): ErrorFields {
  const fields: ErrorFields = { name: error.name, message: error.message };
  if (error.stack !== undefined) fields.stack = error.stack;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') fields.code = code;
  if (error.cause !== undefined) {
    fields.cause =
      error.cause instanceof Error
        ? depth < MAX_DEPTH
          ? errorFields(error.cause, depth + 1)
          : { name: error.cause.name, message: error.cause.message }
        : error.cause;
  }
  return fields;
}

/** Log fields with every Error value (at the top level) written as ErrorFields. */
export function withErrorFields(fields: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) {
      out ??= { ...fields };
      out[key] = errorFields(value);
    }
  }
  return out ?? fields;
}
