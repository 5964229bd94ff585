import { pipelinesToMermaid, writeFileAtomic } from '@ferry/core';
import { Command, Flags } from '@oclif/core';
import { findAppPipelines } from 'create-ferry-app';
import { startApp } from '../app-loader.js';
import { configFlag } from '../config-flag.js';

export class GraphCommand extends Command {
  static override description =
    "Print the app's pipelines as a Mermaid flowchart: those its plugins register, and those its own src/ builds with pipeline() or definePipeline()";
  static override examples = ['<%= config.bin %> graph', '<%= config.bin %> graph --out docs/pipelines.mmd'];
  static override flags = {
    config: configFlag,
    out: Flags.string({ description: 'write the diagram to this file instead of printing it' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(GraphCommand);
    const host = await startApp(flags.config);
    try {
      const registered = host.pipelines.list();
      // An app's own pipelines are built in its code at run time (often from services only the running
      // app has), so they are read from src/; one a plugin also registers is drawn once, as registered.
      const names = new Set(registered.map((p) => p.name));
      const built = findAppPipelines(host.appDir).filter((p) => !names.has(p.name));
      const diagram = pipelinesToMermaid([...registered, ...built]);
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
