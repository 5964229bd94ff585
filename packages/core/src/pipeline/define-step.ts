import { z } from 'zod';
import { FerryError, formatPath, fromZodError } from '../errors/ferry-error.js';
import type { Middleware, StepHandler } from './middleware.js';
import { enterSpan } from './step-context.js';
import type { StepContext } from './step-context.js';

export interface StepDefinition<In extends z.ZodType, Out extends z.ZodType> {
  name: string;
  description?: string;
  input: In;
  output: Out;
  run(input: z.output<In>, ctx: StepContext): Promise<z.input<Out>> | z.input<Out>;
}

export interface InvokeOptions {
  /** Prefix of field paths in validation errors, e.g. `[3]` for the fourth element of a map. */
  fieldPrefix?: string;
  /** The step whose output this input is, named in the fix of an input error. */
  producedBy?: string;
  /**
   * The schema that already parsed this input (the previous step's output).
   * When it is this step's input schema, the input is not parsed again: a
   * pipeline whose steps pass the same shape along (a chat request with its
   * whole history) would otherwise validate it twice at every step.
   */
  parsedBy?: z.ZodType;
}

export interface Step<In extends z.ZodType = z.ZodType, Out extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly description: string | undefined;
  readonly input: In;
  readonly output: Out;
  /** Names of the middleware around `run`, innermost first. */
  readonly middleware: readonly string[];
  /**
   * Validates the input, runs the middleware stack and `run`, validates the
   * output, all in a span under `parent`'s. Pipelines call it; a step may call
   * another step with its own ctx to nest it.
   */
  invoke(input: z.input<In>, parent: StepContext, options?: InvokeOptions): Promise<z.output<Out>>;
  /**
   * A new step with `middleware` around this one; each wraps everything before
   * it, so in `use(retry(), cache())` the cache is outermost and a hit skips the retry.
   */
  use(...middleware: Array<Middleware<z.output<In>, z.input<Out>>>): Step<In, Out>;
}

/** Any step, whatever its schemas: the element type of pipelines. */
export type AnyStep = Step<any, any>;
export type StepInput<S> = S extends Step<infer In, any> ? z.input<In> : never;
export type StepOutput<S> = S extends Step<any, infer Out> ? z.output<Out> : never;

export function defineStep<In extends z.ZodType, Out extends z.ZodType>(definition: StepDefinition<In, Out>): Step<In, Out> {
  checkDefinition(definition);
  return buildStep({
    name: definition.name,
    description: definition.description,
    input: definition.input,
    output: definition.output,
    validate: true,
    run: async (input, ctx) => definition.run(input, ctx),
    layers: [],
  });
}

export interface StepParts<In extends z.ZodType, Out extends z.ZodType> {
  readonly name: string;
  readonly description: string | undefined;
  readonly input: In;
  readonly output: Out;
  /** False for steps whose inner steps validate (map), so values are not parsed twice. */
  readonly validate: boolean;
  readonly run: StepHandler<z.output<In>, z.input<Out>>;
  readonly layers: ReadonlyArray<Middleware<z.output<In>, z.input<Out>>>;
}

/** Assembles a step from its parts; how `defineStep` and `mapStep` make steps. */
export function buildStep<In extends z.ZodType, Out extends z.ZodType>(parts: StepParts<In, Out>): Step<In, Out> {
  const { name, input: inputSchema, output: outputSchema } = parts;
  const names: string[] = [];
  let handler = parts.run;
  for (const layer of parts.layers) {
    handler = layer.wrap(handler, { name, inner: [...names] });
    names.push(layer.name);
  }
  const stack = handler;
  return {
    name,
    description: parts.description,
    input: inputSchema,
    output: outputSchema,
    middleware: names,
    invoke: (value, parent, options = {}) =>
      enterSpan(
        parent,
        name,
        async (ctx) => {
          const input = parts.validate && options.parsedBy !== inputSchema ? await parseInput(inputSchema, value, ctx, options) : value;
          const raw = await stack(input, ctx);
          return parts.validate ? await parseOutput(outputSchema, raw, ctx, options) : raw;
        },
        { step: name },
      ),
    use: (...more) => buildStep({ ...parts, layers: [...parts.layers, ...more] }),
  };
}

/**
 * Parses synchronously (half the cost of zod's async parse), and asynchronously
 * only for a schema that turns out to need it (async refinements or transforms).
 */
async function safeParse(schema: z.ZodType, value: unknown): Promise<z.ZodSafeParseResult<unknown>> {
  try {
    return schema.safeParse(value);
  } catch (error) {
    if (error instanceof z.core.$ZodAsyncError) return schema.safeParseAsync(value);
    throw error;
  }
}

async function parseInput(schema: z.ZodType, value: unknown, ctx: StepContext, options: InvokeOptions): Promise<any> {
  const parsed = await safeParse(schema, value);
  if (parsed.success) return parsed.data;
  const { field, message } = firstIssue(parsed.error, options);
  throw fromZodError('STEP_INPUT_INVALID', parsed.error, {
    what: `input of step "${ctx.step}" (pipeline "${ctx.pipeline}")`,
    ...(options.fieldPrefix === undefined ? {} : { fieldPrefix: options.fieldPrefix }),
    // Inside a pipeline the culprit is the step before, which the default "set the field" fix would hide.
    ...(options.producedBy === undefined
      ? {}
      : {
          hint: `Step "${options.producedBy}" returned a value that step "${ctx.step}" does not accept at "${field}" (${message}): make "${options.producedBy}" return what "${ctx.step}" expects, or put a converting step between them.`,
        }),
  });
}

async function parseOutput(schema: z.ZodType, value: unknown, ctx: StepContext, options: InvokeOptions): Promise<any> {
  const parsed = await safeParse(schema, value);
  if (parsed.success) return parsed.data;
  const { field, message } = firstIssue(parsed.error, options);
  throw fromZodError('STEP_OUTPUT_INVALID', parsed.error, {
    what: `output of step "${ctx.step}" (pipeline "${ctx.pipeline}")`,
    ...(options.fieldPrefix === undefined ? {} : { fieldPrefix: options.fieldPrefix }),
    hint: `Step "${ctx.step}" returned a value its output schema rejects at "${field}" (${message}): fix the step's run function, or its output schema if that is too strict.`,
  });
}

function firstIssue(error: z.ZodError, options: InvokeOptions): { field: string; message: string } {
  const issue = error.issues[0];
  return {
    field: formatPath(issue?.path ?? [], options.fieldPrefix ?? '') || '(root)',
    message: issue?.message ?? 'invalid value',
  };
}

function checkDefinition(definition: StepDefinition<z.ZodType, z.ZodType>): void {
  const fail = (field: string, message: string, hint: string): never => {
    throw new FerryError('PIPELINE_INVALID', message, { field, hint });
  };
  const name = (definition as { name?: unknown }).name;
  if (typeof name !== 'string' || name.trim() === '') {
    fail('name', 'a step needs a non-empty name', 'Give the step a name that says what it does, e.g. name: "embed-chunks".');
  }
  for (const key of ['input', 'output'] as const) {
    if (typeof (definition[key] as { safeParseAsync?: unknown } | undefined)?.safeParseAsync !== 'function') {
      fail(key, `step "${name}": "${key}" is not a zod schema`, `Pass a zod schema, e.g. ${key}: z.object({ text: z.string() }).`);
    }
  }
  if (typeof definition.run !== 'function') {
    fail('run', `step "${name}" has no run function`, 'Add run: async (input, ctx) => output to the step definition.');
  }
}
