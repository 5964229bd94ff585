import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { schemaInstructions } from './schema-instructions.js';

describe('schemaInstructions', () => {
  const schema = z.object({
    title: z.string().describe('a short headline'),
    priority: z.enum(['low', 'medium', 'high']),
    count: z.number().int().min(0),
    owner: z.object({ name: z.string(), team: z.string().optional() }),
    tags: z.array(z.object({ kind: z.literal('topic'), value: z.string() })).default([]),
  });

  it('asks for only a JSON object and embeds the compact schema', () => {
    const text = schemaInstructions(schema);
    const [first, json] = text.split('\n');
    expect(first).toContain('Reply with only a JSON object matching this schema');
    const parsed = JSON.parse(json ?? '') as Record<string, unknown>;
    expect(parsed.type).toBe('object');
    expect(parsed).not.toHaveProperty('$schema');
    expect(json).not.toContain(String(Number.MAX_SAFE_INTEGER));
    expect(json).toContain('a short headline');
  });

  it('lists required keys with dotted paths, leaving defaulted and optional keys out', () => {
    const text = schemaInstructions(schema);
    expect(text).toContain('Required keys: title, priority, count, owner, owner.name, tags[].kind, tags[].value.');
    expect(text).not.toMatch(/Required keys:.*owner\.team/);
    expect(text).not.toMatch(/Required keys: [^\n]*\btags,/);
  });

  it('spells out enum values', () => {
    expect(schemaInstructions(schema)).toContain('priority must be one of: "low", "medium", "high".');
  });

  it('asks for an array when the schema is one', () => {
    const text = schemaInstructions(z.array(z.enum(['a', 'b'])));
    expect(text).toContain('Reply with only a JSON array');
    expect(text).toContain('[] must be one of: "a", "b".');
  });

  it('asks for a bare value when the schema is a scalar', () => {
    const text = schemaInstructions(z.enum(['yes', 'no']));
    expect(text).toContain('Reply with only a JSON value');
    expect(text).toContain('The value must be one of: "yes", "no".');
  });
});
