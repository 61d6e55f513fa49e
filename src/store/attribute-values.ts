import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * Plain data <-> DynamoDB attribute values, for the JSON-like shapes this store
 * writes (strings, finite numbers, booleans, lists, maps). Undefined fields are
 * left out, so optional fields round-trip as absent.
 */

export function toAttribute(value: unknown, path = '$'): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: cannot store the number ${value}`);
    return { N: String(value) };
  }
  if (value === null) return { NULL: true };
  if (Array.isArray(value)) return { L: value.map((v, i) => toAttribute(v, `${path}[${i}]`)) };
  if (typeof value === 'object') return { M: toItem(value, path) };
  throw new TypeError(`${path}: cannot store a ${typeof value}`);
}

export function toItem(value: object, path = '$'): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== undefined) item[key] = toAttribute(field, `${path}.${key}`);
  }
  return item;
}

/** Unsupported types (binary, sets) come back as `undefined`, so validation names the field. */
export function fromAttribute(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(fromAttribute);
  if (value.M !== undefined) return fromItem(value.M);
  return undefined;
}

export function fromItem(item: Record<string, AttributeValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(item)) out[key] = fromAttribute(field);
  return out;
}
