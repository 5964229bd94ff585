/**
 * JSON with object keys sorted, so `{a, b}` and `{b, a}` give the same cache
 * key. Class instances (typed arrays, Dates via toJSON) serialise as JSON does.
 */
export function stableKey(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return `${v}n`;
      if (!isPlainObject(v)) return v;
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]));
    }) ?? 'undefined'
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
