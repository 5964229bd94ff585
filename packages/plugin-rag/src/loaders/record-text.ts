/** Field names that give a record its own title. */
const TITLE_FIELDS = ['title', 'name', 'subject', 'headline'];

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function flatten(value: Json, path: string, out: Array<[string, string]>): void {
  if (value === null) return;
  if (typeof value === 'string') {
    if (value.trim() !== '') out.push([path, value.trim()]);
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    out.push([path, String(value)]);
  } else if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) {
      const joined = value.filter((v) => v !== null && String(v).trim() !== '').join(', ');
      if (joined !== '') out.push([path, joined]);
    } else value.forEach((item, i) => flatten(item, `${path}[${i}]`, out));
  } else {
    for (const [key, item] of Object.entries(value)) flatten(item, path ? `${path}.${key}` : key, out);
  }
}

/**
 * A record as text: a string record is its own text; an object gives one
 * `field: value` line per non-empty field (nested fields dotted), so both the
 * field names and values are searchable.
 */
export function recordText(record: unknown): { text: string; title?: string } {
  if (typeof record === 'string') return { text: record.trim() };
  const fields: Array<[string, string]> = [];
  flatten(record as Json, '', fields);
  const text = fields.map(([key, value]) => (key === '' ? value : `${key}: ${value}`)).join('\n');
  const title = fields.find(([key]) => TITLE_FIELDS.includes(key.toLowerCase()))?.[1];
  return { text, ...(title ? { title } : {}) };
}
