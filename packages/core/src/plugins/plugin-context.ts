import type { KernelBackend } from '../kernels/index.js';
import type { ModelByTask, ModelProvider, ModelTask } from '../models/model-types.js';
import type { Logger } from './logger.js';
import type { RegisteredPipeline } from './pipeline-registry.js';

/**
 * What a plugin sees in `setup`. Registrations go through it (not through the
 * registries directly) so the host can say which plugin registered what.
 */
export interface PluginContext<Config = unknown> {
  /** The plugin's own name. */
  readonly plugin: string;
  /** This plugin's config section, already validated by its `configSchema`. */
  readonly config: Config;
  /** Folder of the app config file; relative paths in config are relative to it. */
  readonly appDir: string;
  readonly logger: Logger;
  readonly models: {
    registerProvider(provider: ModelProvider): void;
    resolve<T extends ModelTask>(task: T, ref: string, options?: Record<string, unknown>): Promise<ModelByTask[T]>;
  };
  readonly kernels: {
    registerBackend(backend: KernelBackend): void;
  };
  readonly pipelines: {
    register(pipeline: RegisteredPipeline): void;
    get(name: string): RegisteredPipeline;
  };
  /** The API returned by the setup of a plugin this one `requires`. */
  use<Api = unknown>(pluginName: string): Api;
  /** Runs on host shutdown, in reverse plugin order. */
  onDispose(fn: () => void | Promise<void>): void;
}
