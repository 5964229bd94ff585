import { FerryError } from '@ferry/core';
import { z } from 'zod';

const TYPES = ['string', 'number', 'integer', 'boolean', 'array', 'object'];

function fail(field: string, message: string, hint: string): never {
  throw new FerryError('INPUT_INVALID', message, { field, hint });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Converts the small JSON-schema-like form prompt files use to zod:
 * `{ type: object, properties: {...}, required: [...] }` with string, number,
 * integer, boolean, array (`items`) and object, or `{ enum: [...] }`; a
 * `description` is kept. `field` names the spot in errors (`input.properties.topic`).
 */
export function schemaFromJson(node: unknown, field: string): z.ZodType {
  if (!isRecord(node)) fail(field, `${field} must be a schema object`, `Write ${field} as { type: ... } or { enum: [...] }.`);
  const withDescription = (schema: z.ZodType): z.ZodType =>
    typeof node['description'] === 'string' ? schema.describe(node['description']) : schema;

  if (node['enum'] !== undefined) {
    const values = node['enum'];
    if (!Array.isArray(values) || values.length === 0 || !values.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
      fail(`${field}.enum`, `${field}.enum must be a non-empty list of strings, numbers or booleans`, 'List the allowed values, e.g. enum: [buy, hold, sell].');
    }
    const literals = (values as Array<string | number | boolean>).map((v) => z.literal(v));
    return withDescription(literals.length === 1 ? literals[0]! : z.union(literals as [z.ZodLiteral, z.ZodLiteral, ...z.ZodLiteral[]]));
  }

  const type = node['type'];
  switch (type) {
    case 'string':
      return withDescription(z.string());
    case 'number':
      return withDescription(z.number());
    case 'integer':
      return withDescription(z.number().int());
    case 'boolean':
      return withDescription(z.boolean());
    case 'array':
      return withDescription(z.array(node['items'] === undefined ? z.unknown() : schemaFromJson(node['items'], `${field}.items`)));
    case 'object':
      return withDescription(objectSchemaFromJson(node, field));
    default:
      return fail(
        `${field}.type`,
        `${field}.type is ${JSON.stringify(type)}, not a supported type`,
        `Use one of ${TYPES.join(', ')}, or enum: [...].`,
      );
  }
}

/** Like schemaFromJson but always an object: prompt variables and most outputs are one. */
export function objectSchemaFromJson(node: unknown, field: string): z.ZodObject {
  if (!isRecord(node) || (node['type'] !== undefined && node['type'] !== 'object')) {
    fail(field, `${field} must be an object schema`, `Write ${field} as { type: object, properties: {...}, required: [...] }.`);
  }
  const properties = node['properties'] ?? {};
  if (!isRecord(properties)) fail(`${field}.properties`, `${field}.properties must be a mapping`, 'Map each property name to its schema.');
  const required = node['required'] ?? [];
  if (!Array.isArray(required) || !required.every((r) => typeof r === 'string')) {
    fail(`${field}.required`, `${field}.required must be a list of property names`, 'List required property names, e.g. required: [text].');
  }
  const unknown = (required as string[]).filter((name) => !(name in properties));
  if (unknown.length > 0) {
    fail(`${field}.required`, `${field}.required names properties that are not defined: ${unknown.join(', ')}`, `Add them to ${field}.properties or remove them from required.`);
  }
  const shape: Record<string, z.ZodType> = {};
  for (const [name, child] of Object.entries(properties)) {
    const schema = schemaFromJson(child, `${field}.properties.${name}`);
    shape[name] = (required as string[]).includes(name) ? schema : schema.optional();
  }
  return z.object(shape);
}
