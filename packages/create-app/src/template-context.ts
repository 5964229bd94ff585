import { FerryError } from '@ferry/core';
import type { ResolvedAppOptions } from './app-options.js';
import type { TemplateManifest } from './template-manifest.js';

/** Providers that live in their own plugin package, loaded before the plugins that use their models. */
const PROVIDER_PLUGINS: Record<ResolvedAppOptions['provider'], string[]> = {
  offline: [],
  openai: [],
  transformers: ['@ferry/provider-transformers'],
  llama: ['@ferry/llama'],
};

/** What template files see: the app's choices, its plugins and its variables. */
export interface TemplateContext {
  name: string;
  template: string;
  provider: ResolvedAppOptions['provider'];
  backend: ResolvedAppOptions['backend'];
  vectorStore: ResolvedAppOptions['vectorStore'];
  sessionStore: ResolvedAppOptions['sessionStore'];
  plugins: string[];
  vars: Record<string, string>;
  /** Version range written for @ferry packages in the app's package.json. */
  ferryVersion: string;
}

export function buildTemplateContext(options: ResolvedAppOptions, manifest: TemplateManifest, ferryVersion: string): TemplateContext {
  for (const key of Object.keys(options.variables)) {
    if (!(key in manifest.variables)) {
      const known = Object.keys(manifest.variables);
      throw new FerryError('INPUT_INVALID', `template "${manifest.name}" has no variable "${key}"`, {
        field: `variables.${key}`,
        hint: known.length > 0 ? `Use one of: ${known.join(', ')}.` : `Template "${manifest.name}" takes no --var values.`,
      });
    }
  }
  const vars: Record<string, string> = {};
  for (const [key, spec] of Object.entries(manifest.variables)) {
    const value = options.variables[key] ?? spec.default;
    if (spec.values && !spec.values.includes(value)) {
      throw new FerryError('INPUT_INVALID', `variable "${key}" is "${value}"`, {
        field: `variables.${key}`,
        hint: `Use one of: ${spec.values.join(', ')}.`,
      });
    }
    vars[key] = value;
  }
  const plugins = [...new Set([...PROVIDER_PLUGINS[options.provider], ...manifest.requiredPlugins, ...options.plugins])];
  return {
    name: options.name,
    template: manifest.name,
    provider: options.provider,
    backend: options.backend,
    vectorStore: options.vectorStore,
    sessionStore: options.sessionStore,
    plugins,
    vars,
    ferryVersion,
  };
}
