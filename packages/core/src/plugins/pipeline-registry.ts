import { FerryError } from '../errors/ferry-error.js';

/**
 * The registry's view of a pipeline: a name and a run function. Pipelines
 * built with `definePipeline` satisfy it; the registry needs nothing more.
 */
export interface RegisteredPipeline {
  readonly name: string;
  readonly description?: string;
  /** Present on pipelines built with `pipeline()`; `ferry graph` draws them. */
  readonly steps?: ReadonlyArray<{ readonly name: string; readonly middleware: readonly string[] }>;
  run(input: unknown, options?: Record<string, unknown>): Promise<unknown>;
}

export interface PipelineSummary {
  name: string;
  owner: string;
  description?: string;
  steps?: Array<{ name: string; middleware: string[] }>;
}

export class PipelineRegistry {
  private readonly entries = new Map<string, { pipeline: RegisteredPipeline; owner: string }>();

  register(pipeline: RegisteredPipeline, owner = 'app'): void {
    const existing = this.entries.get(pipeline.name);
    if (existing) {
      throw new FerryError('PIPELINE_INVALID', `pipeline "${pipeline.name}" is already registered by "${existing.owner}"`, {
        plugin: owner,
        field: 'pipeline.name',
        hint: 'Pipeline names are global in an app: prefix yours with the plugin name, e.g. "rag.answer".',
      });
    }
    this.entries.set(pipeline.name, { pipeline, owner });
  }

  get(name: string): RegisteredPipeline {
    const entry = this.entries.get(name);
    if (!entry) {
      const known = [...this.entries.keys()].join(', ') || '(none)';
      throw new FerryError('PIPELINE_INVALID', `no pipeline named "${name}"`, {
        field: 'pipeline',
        hint: `Use one of the registered pipelines (${known}), or add the plugin that provides it to your ferry config.`,
      });
    }
    return entry.pipeline;
  }

  list(): PipelineSummary[] {
    return [...this.entries.values()].map(({ pipeline, owner }) => ({
      name: pipeline.name,
      owner,
      ...(pipeline.description === undefined ? {} : { description: pipeline.description }),
      ...(pipeline.steps === undefined ? {} : { steps: pipeline.steps.map((s) => ({ name: s.name, middleware: [...s.middleware] })) }),
    }));
  }
}
