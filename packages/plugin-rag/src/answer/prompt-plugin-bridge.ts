import type { ChatMessage, Guard } from '@ferry/core';
import type { PromptBuilder } from './default-prompt.js';

/** What the answering pipeline takes from @ferry/plugin-prompt when it is installed. */
export interface PromptPluginParts {
  /** Its `knowledge-base-answer` library template. */
  prompt: PromptBuilder;
  /** Its prompt-injection guard with default thresholds (blocks high-risk questions). */
  injectionGuard: Guard;
}

interface PromptModule {
  getPrompt(name: string): { prompt: { render(vars: Record<string, unknown>): unknown } };
  injectionGuard(options?: Record<string, unknown>): Guard;
}

function isPromptModule(value: unknown): value is PromptModule {
  const m = value as Partial<PromptModule> | null;
  return typeof m?.getPrompt === 'function' && typeof m.injectionGuard === 'function';
}

// A variable specifier: the prompt plugin is optional, so neither the compiler nor a bundler may require it.
const PROMPT_PLUGIN = '@ferry/plugin-prompt';

/**
 * The prompt plugin's template and injection guard, or undefined when it is
 * not installed (the pipeline then uses its own default prompt and no guard).
 */
export async function loadPromptPlugin(): Promise<PromptPluginParts | undefined> {
  let mod: unknown;
  try {
    mod = await import(PROMPT_PLUGIN);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
  if (!isPromptModule(mod)) return undefined;
  const template = mod.getPrompt('knowledge-base-answer').prompt;
  return {
    prompt: (question, documents) =>
      template.render({ question, context: documents.map((d) => ({ id: d.id, text: d.text, source: d.source })) }) as ChatMessage[],
    injectionGuard: mod.injectionGuard(),
  };
}
