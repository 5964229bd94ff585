import { FerryError } from '@ferry/core';
import { readJsonValue } from './json-reader.js';

export interface ExtractedJson {
  value: unknown;
  /** The repairs applied to make the text parse, empty when it was valid JSON. */
  repaired: string[];
}

const FENCE = /```([\w-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g;
// Bounds the work on long replies full of brackets that are not JSON.
const MAX_STARTS = 32;

/**
 * Finds the JSON value in a model reply: inside a code fence (json-labelled
 * first), or the first bracketed value that parses amid prose, repairing
 * slight breakage on the way. Throws PROVIDER_BAD_RESPONSE saying what was
 * wrong when there is no usable JSON.
 */
export function extractJson(text: string): ExtractedJson {
  if (typeof text !== 'string') {
    throw new FerryError('INPUT_INVALID', `extractJson expects a string, got ${text === null ? 'null' : typeof text}`, {
      hint: 'Pass the text of the model reply (GenerationResult.text).',
    });
  }
  if (text.trim() === '') {
    throw new FerryError('PROVIDER_BAD_RESPONSE', 'the reply is empty, so it holds no JSON', {
      hint: 'Check the model returned text (finishReason, maxTokens) and ask it for a JSON object.',
    });
  }
  let firstProblem: string | undefined;
  for (const region of regions(text)) {
    const strict = tryParse(region.trim());
    if (strict.ok) return { value: strict.value, repaired: [] };
    let starts = 0;
    for (let i = 0; i < region.length && starts < MAX_STARTS; i++) {
      if (region[i] !== '{' && region[i] !== '[') continue;
      starts++;
      const read = readJsonValue(region, i);
      if (!read.ok) {
        firstProblem ??= read.mismatched
          ? 'its brackets do not match (a } closes a [ or the reverse)'
          : `it is cut off: ${read.unclosed} bracket(s) never closed`;
        // Later brackets lie inside the broken value; a fragment of it is no answer.
        break;
      }
      const parsed = tryParse(read.json);
      if (parsed.ok) return { value: parsed.value, repaired: read.repairs };
      firstProblem ??= `it is malformed even after repair (${parsed.message}) in ${snippet(read.json)}`;
      // Nested values of a broken one are fragments, not the answer.
      i = read.end - 1;
    }
  }
  if (firstProblem === undefined) {
    throw new FerryError('PROVIDER_BAD_RESPONSE', `the reply contains no JSON object or array: ${snippet(text)}`, {
      hint: 'Ask the model to reply with only a JSON object (schemaInstructions writes such instructions).',
      details: { text },
    });
  }
  throw new FerryError('PROVIDER_BAD_RESPONSE', `the JSON in the reply is unusable: ${firstProblem}`, {
    hint: firstProblem.startsWith('it is cut off')
      ? 'Raise maxTokens or ask for a shorter answer; the reply stopped mid-value.'
      : 'Ask the model again for strict JSON, quoting the problem.',
    details: { text },
  });
}

/** Fenced blocks first (json-labelled before others), then the whole text. */
function regions(text: string): string[] {
  const labelled: string[] = [];
  const other: string[] = [];
  for (const match of text.matchAll(FENCE)) {
    const body = match[2] ?? '';
    if (/^json[c5]?$/i.test(match[1] ?? '')) labelled.push(body);
    else other.push(body);
  }
  return [...labelled, ...other, text];
}

function tryParse(json: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(json) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 117)}...` : flat);
}
