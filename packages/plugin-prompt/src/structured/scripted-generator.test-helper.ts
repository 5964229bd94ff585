import type { GenerateInput, GenerateOptions, GenerationResult, ModelMetadata, TextGenerator } from '@ferry/core';

/** A test double for a model: replies from a queue and records every prompt it got. */
export class ScriptedGenerator implements TextGenerator {
  readonly metadata: ModelMetadata = {
    provider: 'test',
    model: 'scripted',
    ref: 'test:scripted',
    task: 'text-generation',
    neural: false,
  };
  readonly prompts: GenerateInput[] = [];
  readonly options: Array<GenerateOptions | undefined> = [];
  private readonly replies: string[];

  constructor(replies: string[]) {
    this.replies = [...replies];
  }

  async generate(input: GenerateInput, options?: GenerateOptions): Promise<GenerationResult> {
    // A copy, since the caller may extend its message list after the call.
    this.prompts.push(typeof input === 'string' ? input : input.map((m) => ({ ...m })));
    this.options.push(options);
    const text = this.replies.shift();
    if (text === undefined) throw new Error('ScriptedGenerator ran out of replies');
    return { text, finishReason: 'stop', model: this.metadata };
  }

  async *stream(input: GenerateInput, options?: GenerateOptions): AsyncIterable<string> {
    yield (await this.generate(input, options)).text;
  }
}
