import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Flags } from '@oclif/core';
import { configFlag } from '../config-flag.js';
import { startApp } from '../app-loader.js';

export class PluginsCommand extends Command {
  static override description = 'List the plugins of this app and what each registered: model providers, kernel backends, pipelines, CLI commands';
  static override examples = ['<%= config.bin %> plugins', '<%= config.bin %> plugins --json'];
  static override flags = {
    config: configFlag,
    json: Flags.boolean({ description: 'print as JSON' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(PluginsCommand);
    const host = await startApp(flags.config);
    try {
      const backends = host.kernels.listBackends();
      const rows = host.plugins.map((plugin) => ({
        ...plugin,
        kernelBackends: backends.filter((b) => b.owner === plugin.name).map((b) => b.name),
        commands: plugin.packageRoot ? this.commandsOf(plugin.packageRoot) : [],
      }));
      if (flags.json) {
        this.log(JSON.stringify({ plugins: rows, kernelBackends: backends, models: host.models.listModels() }, null, 2));
        return;
      }
      for (const row of rows) {
        this.log(`${row.name} ${row.version}  (${row.source})`);
        if (row.description) this.log(`  ${row.description}`);
        this.log(`  model providers: ${list(row.registered.providers)}`);
        this.log(`  kernel backends: ${list(row.kernelBackends)}`);
        this.log(`  pipelines:       ${list(row.registered.pipelines)}`);
        this.log(`  commands:        ${list(row.commands)}`);
      }
      this.log('');
      this.log('kernel backends by priority:');
      for (const b of [...backends].sort((x, y) => y.priority - x.priority)) {
        this.log(`  ${b.name} (priority ${b.priority}, ${b.available ? 'available' : `unavailable: ${b.reason ?? 'probe said no'}`}): ${b.kernels.length} kernels, from ${b.owner}`);
      }
    } finally {
      await host.dispose();
    }
  }

  /** Commands oclif loaded from the plugin's package, matched by package name. */
  private commandsOf(packageRoot: string): string[] {
    const { name } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { name: string };
    const plugin = this.config.plugins.get(name);
    return plugin ? plugin.commands.map((c) => c.id.replaceAll(':', ' ')) : [];
  }
}

function list(items: readonly string[]): string {
  return items.length > 0 ? items.join(', ') : '-';
}
