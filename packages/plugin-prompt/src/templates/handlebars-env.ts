import Handlebars from 'handlebars';

/** Helpers every prompt environment gets; the variable scan treats these names as helpers, not variables. */
export const PROMPT_HELPERS = ['inc', 'json', 'join'] as const;

/**
 * An isolated Handlebars environment per template, so one template's partials
 * and helpers never leak into another's (the global instance is shared state).
 */
export function createPromptEnvironment(partials: Record<string, string> = {}): typeof Handlebars {
  const env = Handlebars.create();
  // Handlebars' @index is 0-based; numbered lists and [n] citations need 1-based.
  env.registerHelper('inc', (value: unknown) => Number(value) + 1);
  env.registerHelper('json', (value: unknown) => JSON.stringify(value));
  env.registerHelper('join', (value: unknown, separator: unknown) =>
    Array.isArray(value) ? value.join(typeof separator === 'string' ? separator : ', ') : String(value),
  );
  for (const [name, source] of Object.entries(partials)) env.registerPartial(name, source);
  return env;
}
