import { Command, Flags } from '@oclif/core';
import { startChromaServer } from '../stores/chroma-server.js';

export class RagChromaStartCommand extends Command {
  static override description = 'Run a local Chroma server (the `chroma run` the chromadb package ships) until interrupted';
  static override examples = ['<%= config.bin %> rag chroma start --path .ferry/chroma --port 8000'];
  static override flags = {
    path: Flags.string({ description: 'data folder of the server', default: '.ferry/chroma' }),
    port: Flags.integer({ description: 'port (0 picks a free one)', min: 0, max: 65_535, default: 8000 }),
    host: Flags.string({ description: 'interface to listen on', default: 'localhost' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(RagChromaStartCommand);
    const server = await startChromaServer({ path: flags.path, port: flags.port, host: flags.host });
    this.log(`Chroma listening on ${server.url} (data in ${flags.path}); use --url ${server.url} with ferry rag commands. Ctrl-C stops it.`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.stop();
    this.log('Chroma stopped');
  }
}
