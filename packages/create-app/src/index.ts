export { appOptionsSchema, BACKENDS, PROVIDERS, SESSION_STORES, VECTOR_STORES, type AppOptions, type ResolvedAppOptions } from './app-options.js';
export { createApp, type CreateAppHooks, type CreatedApp } from './create-app.js';
export { defaultTemplatesDir, findTemplate, listTemplates, type TemplateEntry } from './template-catalog.js';
export { loadTemplateManifest, templateManifestSchema, type TemplateManifest } from './template-manifest.js';
export { renderTemplate, type RenderedFile } from './render-template.js';
export type { TemplateContext } from './template-context.js';
export { findWorkspaceRoot, linkWorkspaceDependencies } from './workspace-link.js';
export { addPlugin, type AddResult } from './edit/add-to-app.js';
export { addPluginToConfig } from './edit/add-plugin.js';
