import type { ChatMessage, ChatRole } from '@ferry/core';
import { FerryError } from '@ferry/core';
import { z } from 'zod';
import { createPromptEnvironment } from './handlebars-env.js';
import type { TemplateReferences } from './template-references.js';
import { collectTemplateReferences } from './template-references.js';
import { variablesError } from './variable-errors.js';

export type VariablesSchema = z.ZodObject;

export interface MessageTemplate {
  role: ChatRole;
  template: string;
}

interface PromptDefinitionBase<V extends VariablesSchema, O extends z.ZodType | undefined> {
  name: string;
  description?: string;
  variables: V;
  /** Named partials (`{{> name}}`), visible to this template only. */
  partials?: Record<string, string>;
  /** Shape the model's answer must have, for structured-output parsing. */
  outputSchema?: O;
  /** Model reference the prompt was written for, e.g. `openai:gpt-4o-mini`. */
  model?: string;
  /** Generation settings the prompt was tuned with (temperature, maxTokens...). */
  settings?: Record<string, unknown>;
}

export interface TextPromptDefinition<V extends VariablesSchema, O extends z.ZodType | undefined = undefined>
  extends PromptDefinitionBase<V, O> {
  template: string;
}

export interface ChatPromptDefinition<V extends VariablesSchema, O extends z.ZodType | undefined = undefined>
  extends PromptDefinitionBase<V, O> {
  messages: MessageTemplate[];
}

export type PromptOutput = string | ChatMessage[];

export interface PromptTemplate<
  V extends VariablesSchema = VariablesSchema,
  R extends PromptOutput = PromptOutput,
  O extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly name: string;
  readonly description: string | undefined;
  readonly kind: R extends string ? 'text' : 'chat';
  readonly variables: V;
  readonly outputSchema: O;
  readonly model: string | undefined;
  readonly settings: Readonly<Record<string, unknown>>;
  /** Declared variables the template never reads; the prompt linter reports them. */
  readonly unusedVariables: readonly string[];
  /** Validates `vars` against the schema, then renders. */
  render(vars: z.input<V>): R;
}

type ReturnOf<D> = D extends { messages: MessageTemplate[] } ? ChatMessage[] : string;

export function definePrompt<V extends VariablesSchema, O extends z.ZodType | undefined = undefined>(
  definition: TextPromptDefinition<V, O>,
): PromptTemplate<V, string, O>;
export function definePrompt<V extends VariablesSchema, O extends z.ZodType | undefined = undefined>(
  definition: ChatPromptDefinition<V, O>,
): PromptTemplate<V, ChatMessage[], O>;
export function definePrompt<V extends VariablesSchema, O extends z.ZodType | undefined = undefined>(
  definition: TextPromptDefinition<V, O> | ChatPromptDefinition<V, O>,
): PromptTemplate<V, ReturnOf<typeof definition>, O> {
  const { name } = definition;
  const hasText = 'template' in definition && typeof definition.template === 'string';
  const hasMessages = 'messages' in definition && Array.isArray(definition.messages);
  if (hasText === hasMessages) {
    throw new FerryError('INPUT_INVALID', `prompt "${name}" needs exactly one of "template" and "messages"`, {
      field: hasText ? 'messages' : 'template',
      hint: 'Give a single "template" string for a text prompt, or "messages: [{ role, template }]" for a chat prompt.',
    });
  }
  const partials = definition.partials ?? {};
  const sources: MessageTemplate[] = hasText
    ? [{ role: 'user', template: (definition as TextPromptDefinition<V, O>).template }]
    : (definition as ChatPromptDefinition<V, O>).messages;

  const declared = Object.keys(definition.variables.shape);
  const used = new Set<string>();
  const calledPartials = new Set<string>();
  sources.forEach((source, i) => {
    let references: TemplateReferences;
    try {
      references = collectTemplateReferences(source.template, partials);
    } catch (cause) {
      throw new FerryError('INPUT_INVALID', `template of prompt "${name}" is not valid Handlebars: ${(cause as Error).message}`, {
        field: hasText ? 'template' : `messages[${i}].template`,
        hint: 'Fix the {{...}} syntax: every {{#block}} needs its {{/block}}, and partials must parse too.',
        cause,
      });
    }
    for (const variable of references.variables) used.add(variable);
    for (const partial of references.partials) calledPartials.add(partial);
  });
  const missingPartials = [...calledPartials].filter((p) => !(p in partials));
  if (missingPartials.length > 0) {
    throw new FerryError('INPUT_INVALID', `prompt "${name}" calls partials it does not define: ${missingPartials.join(', ')}`, {
      field: `partials.${missingPartials[0]}`,
      hint: `Add ${missingPartials.map((p) => `"${p}"`).join(', ')} to the partials of "${name}", or fix the name after {{>.`,
    });
  }
  const undeclared = [...used].filter((v) => !declared.includes(v));
  if (undeclared.length > 0) {
    throw new FerryError(
      'INPUT_INVALID',
      `prompt "${name}" uses variables not declared in its schema: ${undeclared.join(', ')}`,
      {
        field: `variables.${undeclared[0]}`,
        hint: `Declare ${undeclared.map((v) => `"${v}"`).join(', ')} in the variables schema of "${name}", or fix the spelling in the template.`,
        details: { prompt: name, undeclared },
      },
    );
  }

  const env = createPromptEnvironment(partials);
  // noEscape: prompts are not HTML, `&` and quotes must reach the model as written.
  const compiled = sources.map((source, i) => {
    const template = env.compile(source.template, { noEscape: true, strict: true });
    const run = (context: Record<string, unknown>): string => {
      try {
        return template(context);
      } catch (cause) {
        // Strict mode also throws on a missing nested field (`{{user.name}}` with no user).
        throw new FerryError('INPUT_INVALID', `prompt "${name}" failed to render: ${(cause as Error).message}`, {
          field: hasText ? 'template' : `messages[${i}].template`,
          hint: 'Wrap optional variables and fields in {{#if ...}}, or make them required in the variables schema.',
          cause,
        });
      }
    };
    return { role: source.role, run };
  });
  // A strict object, so a misspelt or stray variable is an error rather than silently ignored.
  const schema = definition.variables.strict();

  const render = (vars: z.input<V>): PromptOutput => {
    const parsed = schema.safeParse(vars);
    if (!parsed.success) throw variablesError(name, parsed.error);
    // Handlebars strict mode throws on absent keys: optional variables are present as undefined so `{{#if}}` works.
    const context: Record<string, unknown> = Object.fromEntries(declared.map((key) => [key, undefined]));
    Object.assign(context, parsed.data);
    if (hasText) return compiled[0]?.run(context) ?? '';
    // Block tags at a message's edges leave stray newlines that carry no meaning in a chat turn.
    return compiled.map((part): ChatMessage => ({ role: part.role, content: part.run(context).trim() }));
  };

  return {
    name,
    description: definition.description,
    kind: (hasText ? 'text' : 'chat') as PromptTemplate<V, ReturnOf<typeof definition>, O>['kind'],
    variables: definition.variables,
    outputSchema: definition.outputSchema as O,
    model: definition.model,
    settings: definition.settings ?? {},
    unusedVariables: declared.filter((v) => !used.has(v)),
    render: render as (vars: z.input<V>) => ReturnOf<typeof definition>,
  };
}
