import type { Node } from 'ts-morph';
import { stringValue } from './static-value.js';

const MAX_LENGTH = 60;

/**
 * `node`'s source on one line, shortened: the label of what only run time
 * decides (a step passed in as a parameter, a name built from a variable).
 * Mermaid labels end at a line break.
 */
export function sourceText(node: Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

/** A name as the code gives it: the string when it is spelled out, else the expression's text. */
export function textOf(node: Node | undefined): string | undefined {
  return node === undefined ? undefined : (stringValue(node) ?? sourceText(node));
}
