import { pipelinesToMermaid, writeFileAtomic } from '@ferry/core';
import { Command, Flags } from '@oclif/core';
import { startApp } from '../app-loader.js';
import { configFlag } from '../config-flag.js';

export class GraphCommand extends Command {
  static override description = "Print the app's pipelines (registered by its plugins) as a Mermaid flowchart";
  static override examples = ['<%= config.bin %> graph', '<%= config.bin %> graph --out docs/pipelines.mmd'];
  static override flags = {
    config: configFlag,
    out: Flags.string({ description: 'write the diagram to this file instead of printing it' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(GraphCommand);
    const host = await startApp(flags.config);
    try {
      const diagram = pipelinesToMermaid(host.pipelines.list());
      if (flags.out) {
        await writeFileAtomic(flags.out, diagram);
        this.log(`wrote ${flags.out}`);
      } else {
        this.log(diagram.trimEnd());
      }
    } finally {
      await host.dispose();
    }
  }
}
