import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { isFerryError } from '@ferry/core';
import { Args, Command, Flags } from '@oclif/core';
import { BACKENDS, PROVIDERS, SESSION_STORES, VECTOR_STORES, type AppOptions } from './app-options.js';
import { createApp } from './create-app.js';
import { listTemplates } from './template-catalog.js';

export class CreateAppCommand extends Command {
  static override description = 'Create a Ferry app from a template: knowledge base, customer-service API or ad generator, installed and ready to test';
  static override examples = [
    '<%= config.bin %> my-kb --template knowledge-base --yes',
    '<%= config.bin %> support --template customer-service --provider openai --vector-store chroma --session-store redis',
  ];
  static override args = {
    dir: Args.string({ description: 'folder to create the app in', required: true }),
  };
  static override flags = {
    template: Flags.string({ char: 't', description: 'template name (knowledge-base, customer-service, ad-generator)' }),
    name: Flags.string({ description: 'package name (default: the folder name)' }),
    plugins: Flags.string({ description: 'extra plugins, comma-separated', default: '' }),
    provider: Flags.option({ options: PROVIDERS, description: 'model provider' })(),
    backend: Flags.option({ options: BACKENDS, description: 'kernel backend' })(),
    'vector-store': Flags.option({ options: VECTOR_STORES, description: 'vector store' })(),
    'session-store': Flags.option({ options: SESSION_STORES, description: 'session store' })(),
    var: Flags.string({ description: 'template variable key=value', multiple: true, default: [] }),
    yes: Flags.boolean({ char: 'y', description: 'accept defaults, never ask' }),
    force: Flags.boolean({ description: 'write into a non-empty folder' }),
    install: Flags.boolean({ description: 'install dependencies (--no-install to skip)', default: true, allowNo: true }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(CreateAppCommand);
    const variables: Record<string, string> = {};
    for (const pair of flags.var) {
      const at = pair.indexOf('=');
      if (at <= 0) this.error(`--var "${pair}" is not key=value`, { exit: 2 });
      variables[pair.slice(0, at)] = pair.slice(at + 1);
    }
    const options: AppOptions = {
      dir: args.dir,
      name: flags.name ?? basename(resolve(args.dir)),
      template: flags.template ?? '',
      plugins: flags.plugins.split(',').map((p) => p.trim()).filter(Boolean),
      variables,
      install: flags.install,
      force: flags.force,
      ...(flags.provider ? { provider: flags.provider } : {}),
      ...(flags.backend ? { backend: flags.backend } : {}),
      ...(flags['vector-store'] ? { vectorStore: flags['vector-store'] } : {}),
      ...(flags['session-store'] ? { sessionStore: flags['session-store'] } : {}),
    };
    if (!flags.yes && process.stdin.isTTY) await this.ask(options);
    if (!options.template) options.template = 'knowledge-base';
    try {
      const app = await createApp(options, { onStep: (message) => this.log(`• ${message}`) });
      this.log(`\nCreated ${app.template} app in ${app.dir} (${app.files.length} files, dependencies ${app.install}).\nNext:\n${app.nextSteps.map((s) => `  ${s}`).join('\n')}`);
    } catch (error) {
      if (isFerryError(error)) this.error(error.message, { exit: 2 });
      throw error;
    }
  }

  /** Asks for what the flags left open, showing the default in brackets. */
  private async ask(options: AppOptions): Promise<void> {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      const choose = async (question: string, choices: readonly string[], current: string | undefined): Promise<string> => {
        if (current) return current;
        const answer = (await rl.question(`${question} (${choices.join(' / ')}) [${choices[0]}]: `)).trim();
        return answer === '' ? (choices[0] ?? '') : answer;
      };
      const templates = (await listTemplates()).map((t) => t.manifest.name);
      options.template = await choose('Template', templates.includes('knowledge-base') ? ['knowledge-base', ...templates.filter((t) => t !== 'knowledge-base')] : templates, options.template || undefined);
      options.provider = (await choose('Model provider', PROVIDERS, options.provider)) as AppOptions['provider'];
      options.vectorStore = (await choose('Vector store', VECTOR_STORES, options.vectorStore)) as AppOptions['vectorStore'];
      options.sessionStore = (await choose('Session store', SESSION_STORES, options.sessionStore)) as AppOptions['sessionStore'];
    } finally {
      rl.close();
    }
  }
}
