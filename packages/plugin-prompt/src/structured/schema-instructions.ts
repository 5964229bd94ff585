import { z } from 'zod';

type JsonSchemaNode = { [key: string]: unknown };

/**
 * Output instructions for a model: the compact JSON Schema of what it must
 * produce, plus the required keys and allowed enum values spelled out, since
 * models follow a plain list more reliably than they read nested schema.
 */
export function schemaInstructions(schema: z.ZodType): string {
  // `input` is the shape the model must write; defaults and transforms apply after parsing.
  const jsonSchema = compact(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })) as JsonSchemaNode;
  const kind = jsonSchema.type === 'object' ? 'a JSON object' : jsonSchema.type === 'array' ? 'a JSON array' : 'a JSON value';
  const lines = [`Reply with only ${kind} matching this schema, with no prose and no code fence:`, JSON.stringify(jsonSchema)];
  const required: string[] = [];
  const enums: string[] = [];
  collectFacts(jsonSchema, '', required, enums);
  if (required.length > 0) lines.push(`Required keys: ${required.join(', ')}.`);
  for (const line of enums) lines.push(line);
  return lines.join('\n');
}

// Drops what only adds tokens: the draft URI and the safe-integer bounds zod adds to every int.
function compact(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compact);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema') continue;
    if ((key === 'maximum' && value === Number.MAX_SAFE_INTEGER) || (key === 'minimum' && value === Number.MIN_SAFE_INTEGER)) continue;
    out[key] = compact(value);
  }
  return out;
}

function collectFacts(node: unknown, path: string, required: string[], enums: string[]): void {
  if (node === null || typeof node !== 'object') return;
  const schema = node as JsonSchemaNode;
  if (Array.isArray(schema.enum)) {
    enums.push(`${path || 'The value'} must be one of: ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}.`);
  }
  if (Array.isArray(schema.required)) {
    for (const key of schema.required) required.push(path ? `${path}.${String(key)}` : String(key));
  }
  if (schema.properties && typeof schema.properties === 'object') {
    for (const [key, child] of Object.entries(schema.properties)) collectFacts(child, path ? `${path}.${key}` : key, required, enums);
  }
  if (schema.items) collectFacts(schema.items, `${path}[]`, required, enums);
  for (const union of ['anyOf', 'oneOf', 'allOf']) {
    const options = schema[union];
    if (Array.isArray(options)) for (const option of options) collectFacts(option, path, required, enums);
  }
}
