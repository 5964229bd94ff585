import { readFile } from 'node:fs/promises';
import type { ChatRole } from '@ferry/core';
import { FerryError } from '@ferry/core';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { MessageTemplate, PromptOutput, PromptTemplate } from './prompt-template.js';
import { definePrompt } from './prompt-template.js';
import { objectSchemaFromJson, schemaFromJson } from './schema-from-json.js';

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const SECTION = /^##[ \t]+(system|user|assistant)[ \t]*$/gim;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(meta: Record<string, unknown>, key: string, source: string): string | undefined {
  const value = meta[key];
  if (value === undefined || typeof value === 'string') return value;
  throw new FerryError('INPUT_INVALID', `${source}: front matter "${key}" must be a string`, {
    field: key,
    hint: `Write ${key}: as a plain string.`,
  });
}

/** Splits a chat body at `## system` / `## user` / `## assistant` headings; undefined when it has none. */
function chatSections(body: string, source: string): MessageTemplate[] | undefined {
  const headings = [...body.matchAll(SECTION)];
  if (headings.length === 0) return undefined;
  const first = headings[0]!;
  if (body.slice(0, first.index).trim() !== '') {
    throw new FerryError('INPUT_INVALID', `${source}: text before the first "## ${first[1]}" section`, {
      field: 'body',
      hint: 'Put all text of a chat prompt under a "## system", "## user" or "## assistant" heading.',
    });
  }
  return headings.map((heading, i) => {
    const start = heading.index + heading[0].length;
    const end = headings[i + 1]?.index ?? body.length;
    return { role: heading[1]!.toLowerCase() as ChatRole, template: body.slice(start, end).trim() };
  });
}

/**
 * Parses a prompt file: YAML front matter (name, description, model,
 * settings, input, output) and a Handlebars body, which is a chat prompt when
 * it has `## system` / `## user` / `## assistant` sections.
 */
export function parsePromptFile(text: string, source = 'prompt file'): PromptTemplate<z.ZodObject, PromptOutput, z.ZodType | undefined> {
  const match = FRONT_MATTER.exec(text);
  if (!match) {
    throw new FerryError('INPUT_INVALID', `${source} has no YAML front matter`, {
      hint: 'Start the file with a "---" line, the front matter (name, input...), and another "---" line.',
    });
  }
  let meta: unknown;
  try {
    meta = parseYaml(match[1] ?? '');
  } catch (cause) {
    throw new FerryError('INPUT_INVALID', `${source}: front matter is not valid YAML: ${(cause as Error).message}`, {
      hint: 'Fix the YAML between the two "---" lines.',
      cause,
    });
  }
  if (!isRecord(meta)) {
    throw new FerryError('INPUT_INVALID', `${source}: front matter must be a mapping`, { hint: 'Write key: value lines, starting with name:.' });
  }
  const name = optionalString(meta, 'name', source);
  if (!name) {
    throw new FerryError('INPUT_INVALID', `${source}: front matter has no name`, { field: 'name', hint: 'Add a "name:" line to the front matter.' });
  }
  const settings = meta['settings'];
  if (settings !== undefined && !isRecord(settings)) {
    throw new FerryError('INPUT_INVALID', `${source}: settings must be a mapping`, { field: 'settings', hint: 'Write settings as key: value pairs, e.g. temperature: 0.2.' });
  }
  const body = text.slice(match[0].length);
  const common = {
    name,
    description: optionalString(meta, 'description', source),
    model: optionalString(meta, 'model', source),
    settings,
    variables: objectSchemaFromJson(meta['input'] ?? { type: 'object' }, 'input'),
    outputSchema: meta['output'] === undefined ? undefined : schemaFromJson(meta['output'], 'output'),
  };
  const messages = chatSections(body, source);
  return messages ? definePrompt({ ...common, messages }) : definePrompt({ ...common, template: body.trim() });
}

export async function loadPromptFile(path: string): Promise<PromptTemplate<z.ZodObject, PromptOutput, z.ZodType | undefined>> {
  return parsePromptFile(await readFile(path, 'utf8'), path);
}
