import { addPlugin, addRoute, addStep } from 'create-ferry-app';
import { isFerryError } from '@ferry/core';
import { Args, Command, Flags } from '@oclif/core';

export class AddCommand extends Command {
  static override description =
    'Add a plugin, a route or a pipeline step to an app made by create-ferry-app, by editing its code (imports and registrations only; running it twice changes nothing)';
  static override examples = [
    '<%= config.bin %> add plugin @ferry/plugin-multimodal',
    '<%= config.bin %> add route order-status',
    '<%= config.bin %> add step audit --pipeline support.chat --after classify',
  ];
  static override args = {
    kind: Args.string({ description: 'what to add', options: ['plugin', 'route', 'step'], required: true }),
    name: Args.string({ description: 'plugin package, or the name of the route / step', required: true }),
  };
  static override flags = {
    dir: Flags.string({ description: 'the app folder', default: '.' }),
    pipeline: Flags.string({ description: 'for steps: the pipeline, by the name `ferry graph` shows (e.g. support.chat) or the variable holding it' }),
    after: Flags.string({ description: 'for steps: insert after this step, by the name `ferry graph` shows or its variable (default: at the end)' }),
    install: Flags.boolean({ description: 'for plugins: install it (--no-install to skip)', default: true, allowNo: true }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(AddCommand);
    try {
      const result =
        args.kind === 'plugin'
          ? await addPlugin(flags.dir, args.name, { install: flags.install })
          : args.kind === 'route'
            ? await addRoute(flags.dir, args.name)
            : await addStep(flags.dir, args.name, { pipeline: this.requirePipeline(flags.pipeline), ...(flags.after ? { after: flags.after } : {}) });
      this.log(result.changed.length === 0 ? 'nothing to change: already there' : `changed: ${result.changed.join(', ')}`);
    } catch (error) {
      if (isFerryError(error)) this.error(error.message, { exit: 2 });
      throw error;
    }
  }

  private requirePipeline(pipeline: string | undefined): string {
    if (!pipeline) this.error('add step needs --pipeline NAME (a pipeline as `ferry graph` names it, e.g. support.chat)', { exit: 2 });
    return pipeline;
  }
}
