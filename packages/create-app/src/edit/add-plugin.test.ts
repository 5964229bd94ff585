import { describe, expect, it } from 'vitest';
import { isFerryError } from '@ferry/core';
import { addPluginToConfig } from './add-plugin.js';
import { openAppProject } from './app-source.js';

const CONFIG = `import { defineConfig } from '@ferry/core';

// Our models: keep the alias names stable, the routes use them.
export const config = defineConfig({
  plugins: ['@ferry/plugin-prompt', { use: '@ferry/plugin-rag', config: { root: 'docs' } }],
  models: {
    chat: 'offline:extractive', // swap for openai:gpt-4o-mini in production
  },
});
`;

function edit(source: string, plugin: string): { changed: boolean; text: string } {
  const file = openAppProject({ inMemory: true }).createSourceFile('src/ferry.config.ts', source);
  const changed = addPluginToConfig(file, plugin);
  return { changed, text: file.getFullText() };
}

describe('addPluginToConfig', () => {
  it('appends the plugin and changes nothing else', () => {
    const { changed, text } = edit(CONFIG, '@ferry/plugin-multimodal');
    expect(changed).toBe(true);
    expect(text).toBe(CONFIG.replace("config: { root: 'docs' } }],", "config: { root: 'docs' } }, '@ferry/plugin-multimodal'],"));
  });

  it('is a no-op for a plugin already listed by name or with options', () => {
    expect(edit(CONFIG, '@ferry/plugin-prompt')).toEqual({ changed: false, text: CONFIG });
    expect(edit(CONFIG, '@ferry/plugin-rag')).toEqual({ changed: false, text: CONFIG });
    const tuple = "export const config = defineConfig({ plugins: [['@ferry/llama', { models: {} }]] });\n";
    expect(edit(tuple, '@ferry/llama')).toEqual({ changed: false, text: tuple });
    const once = edit(CONFIG, '@ferry/plugin-multimodal').text;
    expect(edit(once, '@ferry/plugin-multimodal')).toEqual({ changed: false, text: once });
  });

  it('adds a plugins list to a config without one', () => {
    const { text } = edit("export const config = defineConfig({ models: {} });\n", '@ferry/plugin-rag');
    expect(text).toBe("export const config = defineConfig({\n  plugins: ['@ferry/plugin-rag'],\n  models: {} });\n");
  });

  it('says what to do when the config no longer has the expected shape', () => {
    try {
      edit('const plugins = loadPluginsFromEnv();\nexport default { plugins };\n', '@ferry/plugin-rag');
      expect.unreachable();
    } catch (error) {
      expect(isFerryError(error)).toBe(true);
      if (!isFerryError(error)) return;
      expect(error.field).toBe('src/ferry.config.ts');
      expect(error.message).toContain('defineConfig');
      expect(error.hint).toContain("'@ferry/plugin-rag'");
    }
  });
});
