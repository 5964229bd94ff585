import { dirname, resolve } from 'node:path';
import type { FerryConfig, FerryConfigInput } from '../config/config-schema.js';
import { loadConfig, parseConfig } from '../config/load-config.js';
import { FerryError, fromZodError } from '../errors/ferry-error.js';
import { createKernelRegistry, type KernelRegistry } from '../kernels/index.js';
import { ModelRegistry } from '../models/model-registry.js';
import type { ModelByTask, ModelTask } from '../models/model-types.js';
import { CORE_VERSION } from '../version.js';
import { CORE_PLUGIN_NAME, createCorePlugin } from './core-plugin.js';
import { createLogger, type Logger } from './logger.js';
import type { PluginContext } from './plugin-context.js';
import { loadPluginEntries, type LoadedPluginEntry } from './plugin-loader.js';
import { orderPlugins } from './plugin-order.js';
import { PipelineRegistry } from './pipeline-registry.js';

export interface StartOptions {
  /** A config object, or the path of a config file or of the folder holding one. */
  config?: FerryConfigInput | string;
  /** Folder that relative paths resolve against, when `config` is an object. Defaults to cwd. */
  appDir?: string;
  /** Logger factory, one logger per plugin. */
  logger?: (scope: string) => Logger;
}

/** What one plugin contributed, for `ferry plugins` and diagnostics. */
export interface PluginReport {
  name: string;
  version: string;
  description?: string;
  source: string;
  packageRoot?: string;
  registered: { providers: string[]; kernelBackends: string[]; pipelines: string[] };
}

/**
 * Loads the plugins of an app, checks them as a set, runs their setup in
 * dependency order and owns the registries they fill. `dispose` undoes it.
 */
export class FerryHost {
  readonly models = new ModelRegistry();
  readonly kernels: KernelRegistry = createKernelRegistry();
  readonly pipelines = new PipelineRegistry();
  readonly plugins: PluginReport[] = [];
  private readonly disposers: Array<{ plugin: string; fn: () => void | Promise<void> }> = [];
  private readonly apis = new Map<string, unknown>();
  private disposed = false;

  private constructor(
    readonly config: FerryConfig,
    readonly appDir: string,
    readonly configPath: string | undefined,
  ) {}

  static async start(options: StartOptions = {}): Promise<FerryHost> {
    const source = options.config ?? process.cwd();
    const { config, appDir, path } =
      typeof source === 'string'
        ? await loadConfig(source)
        : { config: parseConfig(source), appDir: resolve(options.appDir ?? process.cwd()), path: undefined };
    const host = new FerryHost(config, appDir, path);
    await host.setupAll(options.logger ?? createLogger);
    return host;
  }

  /** Resolves a model alias from the config's `models` section (or a raw `provider:model` reference). */
  async model<T extends ModelTask>(task: T, aliasOrRef: string): Promise<ModelByTask[T]> {
    // Own keys only: a request naming "constructor" or "__proto__" must not find Object's.
    const entry = Object.hasOwn(this.config.models, aliasOrRef) ? this.config.models[aliasOrRef] : undefined;
    if (entry === undefined) {
      if (aliasOrRef.includes(':')) return this.models.resolve(task, aliasOrRef);
      throw new FerryError('MODEL_NOT_FOUND', `no model alias "${aliasOrRef}" in the config`, {
        field: `models.${aliasOrRef}`,
        hint: `Add it under "models" in your ferry config, e.g. "${aliasOrRef}": "offline:hash-384", or pass a provider:model reference.`,
      });
    }
    return typeof entry === 'string' ? this.models.resolve(task, entry) : this.models.resolve(task, entry.ref, entry.options);
  }

  /**
   * The API a loaded plugin handed out (what plugins get with `ctx.use`), for
   * the app's own code: `host.api<RagPluginApi>('@ferry/plugin-rag').ask(q)`.
   */
  api<Api>(pluginName: string): Api {
    if (!this.apis.has(pluginName)) {
      const loaded = this.plugins.map((p) => p.name).join(', ');
      throw new FerryError('PLUGIN_MISSING_DEPENDENCY', `plugin "${pluginName}" is not loaded or has no API`, {
        field: 'plugins',
        hint: `Add "${pluginName}" to the plugins of your ferry config (loaded now: ${loaded}).`,
      });
    }
    return this.apis.get(pluginName) as Api;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const failures: unknown[] = [];
    for (const { fn } of this.disposers.reverse()) {
      try {
        await fn();
      } catch (error) {
        failures.push(error);
      }
    }
    await this.models.dispose();
    if (failures.length > 0) throw new AggregateError(failures, 'some plugins failed to dispose');
  }

  private async setupAll(makeLogger: (scope: string) => Logger): Promise<void> {
    const builtIn: LoadedPluginEntry = { plugin: createCorePlugin(this.config.providers), source: 'built-in', index: -1, config: undefined };
    // Relative plugin paths read like imports in the config file, so they start from its folder.
    const fromConfig = await loadPluginEntries(this.config.plugins, this.configPath ? dirname(this.configPath) : this.appDir);
    const ordered = orderPlugins([builtIn, ...fromConfig], CORE_VERSION) as LoadedPluginEntry[];
    for (const entry of ordered) {
      try {
        await this.setupOne(entry, makeLogger(entry.plugin.name));
      } catch (error) {
        await this.dispose().catch(() => undefined);
        if (error instanceof FerryError && error.plugin === entry.plugin.name) throw error;
        throw new FerryError('PLUGIN_SETUP_FAILED', `setup of plugin "${entry.plugin.name}" failed: ${(error as Error).message}`, {
          plugin: entry.plugin.name,
          field: entry.index < 0 ? 'setup' : `plugins[${entry.index}]`,
          hint: error instanceof FerryError ? error.hint : `Check the plugin's config and its requirements; the cause is attached.`,
          cause: error,
        });
      }
    }
    // Backends' availability probes (a GPU check, a native addon load) settle
    // once here, so every later kernel lookup is synchronous.
    await this.kernels.init();
  }

  private async setupOne(entry: LoadedPluginEntry, logger: Logger): Promise<void> {
    const { plugin } = entry;
    const config = this.pluginConfig(entry);
    const report: PluginReport = {
      name: plugin.name,
      version: plugin.version,
      ...(plugin.description === undefined ? {} : { description: plugin.description }),
      source: entry.source,
      ...(entry.packageRoot === undefined ? {} : { packageRoot: entry.packageRoot }),
      registered: { providers: [], kernelBackends: [], pipelines: [] },
    };
    const required = new Set(Object.keys(plugin.requires ?? {}));
    const ctx: PluginContext<unknown> = {
      plugin: plugin.name,
      config,
      appDir: this.appDir,
      logger,
      models: {
        registerProvider: (provider) => {
          this.models.registerProvider(provider, plugin.name);
          report.registered.providers.push(provider.name);
        },
        resolve: (task, ref, options) => this.models.resolve(task, ref, options),
      },
      kernels: {
        registerBackend: (backend) => {
          this.kernels.registerBackend(backend, plugin.name);
          report.registered.kernelBackends.push(backend.name);
        },
      },
      pipelines: {
        register: (pipeline) => {
          this.pipelines.register(pipeline, plugin.name);
          report.registered.pipelines.push(pipeline.name);
        },
        get: (name) => this.pipelines.get(name),
      },
      use: <Api>(name: string): Api => {
        if (!required.has(name) && name !== CORE_PLUGIN_NAME) {
          throw new FerryError('PLUGIN_MISSING_DEPENDENCY', `plugin "${plugin.name}" uses "${name}" without requiring it`, {
            plugin: plugin.name,
            field: `requires.${name}`,
            hint: `Add "${name}" with a version range to the plugin's requires, so the host sets it up first.`,
          });
        }
        return this.apis.get(name) as Api;
      },
      onDispose: (fn) => {
        this.disposers.push({ plugin: plugin.name, fn });
      },
    };
    const result = await plugin.setup(ctx);
    if (result?.api !== undefined) this.apis.set(plugin.name, result.api);
    if (result?.dispose) this.disposers.push({ plugin: plugin.name, fn: result.dispose });
    this.plugins.push(report);
  }

  private pluginConfig(entry: LoadedPluginEntry): unknown {
    const { plugin } = entry;
    const field = `plugins[${entry.index}].config`;
    if (!plugin.configSchema) {
      if (entry.config !== undefined) {
        throw new FerryError('CONFIG_INVALID', `plugin "${plugin.name}" takes no config, but some was given`, {
          plugin: plugin.name,
          field,
          hint: `Remove "config" from the "${plugin.name}" entry.`,
        });
      }
      return undefined;
    }
    const parsed = plugin.configSchema.safeParse(entry.config ?? {});
    if (!parsed.success) {
      throw fromZodError('CONFIG_INVALID', parsed.error, { what: `config of plugin "${plugin.name}"`, plugin: plugin.name, fieldPrefix: field });
    }
    return parsed.data;
  }
}

export function startFerry(options?: StartOptions): Promise<FerryHost> {
  return FerryHost.start(options);
}
