import { groundedMessages, type TextGenerator } from '@ferry/core';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decoderReference, recordingLogger, TINY_GPT2 } from './fixtures.test-helper.js';
import { createTransformersProvider } from './transformers-provider.js';

const provider = createTransformersProvider({}, { logger: recordingLogger() });
const [plain, second, chat] = decoderReference.cases as [(typeof decoderReference.cases)[number], (typeof decoderReference.cases)[number], (typeof decoderReference.cases)[number]];
let generator: TextGenerator;
let tokenizer: PreTrainedTokenizer;
const expectedText = (ids: number[]): string => tokenizer.decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces: false });

beforeAll(async () => {
  generator = await provider.create('text-generation', TINY_GPT2, { maxTokens: decoderReference.maxNewTokens });
  tokenizer = await AutoTokenizer.from_pretrained(TINY_GPT2, { local_files_only: true });
});
afterAll(() => generator.dispose?.());

describe('transformers: text generation on the tiny GPT-2', () => {
  it('continues greedily exactly as PyTorch did (the KV cache against full recomputation)', async () => {
    for (const c of [plain, second]) {
      const result = await generator.generate(c.prompt!);
      expect(result.text).toBe(expectedText(c.greedyIds));
      expect(result.usage).toEqual({ promptTokens: c.promptIds.length, completionTokens: c.greedyIds.length, totalTokens: c.promptIds.length + c.greedyIds.length });
      expect(result.finishReason).toBe('length');
      expect(result.model.ref).toBe(`transformers:${TINY_GPT2}`);
    }
  });

  it("renders chat messages with the tokenizer's chat template", async () => {
    const result = await generator.generate(chat.messages!);
    expect(result.usage?.promptTokens).toBe(chat.promptIds.length);
    expect(result.text).toBe(expectedText(chat.greedyIds));
  });

  it('grounds a generation in documents through the chat template', async () => {
    const documents = [{ id: 'faq#1', text: 'the ferry sails at dawn', source: 'faq.md' }];
    const result = await generator.generate('where does the ferry go?', { documents, maxTokens: 2 });
    const rendered = tokenizer.apply_chat_template(groundedMessages('where does the ferry go?', documents), { add_generation_prompt: true, tokenize: false }) as string;
    expect(rendered).toContain('[1] (faq.md) the ferry sails at dawn');
    expect(result.usage!.promptTokens).toBe((tokenizer(rendered, { add_special_tokens: false }).input_ids as { dims: number[] }).dims[1]);
    expect(result.usage!.completionTokens).toBe(2);
  });

  it('streams the same text piece by piece', async () => {
    const pieces: string[] = [];
    for await (const piece of generator.stream(plain.prompt!)) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(expectedText(plain.greedyIds));
  });

  it('stops at a stop sequence, in generate and in stream', async () => {
    const full = expectedText(plain.greedyIds);
    const words = full.trim().split(' ');
    const stop = ` ${words[3]!}`;
    const cut = full.slice(0, full.indexOf(stop));
    const result = await generator.generate(plain.prompt!, { stop: [stop] });
    expect(result.text).toBe(cut);
    expect(result.finishReason).toBe('stop');
    expect(result.usage!.completionTokens).toBeLessThan(plain.greedyIds.length);
    const pieces: string[] = [];
    for await (const piece of generator.stream(plain.prompt!, { stop: [stop] })) pieces.push(piece);
    expect(pieces.join('')).toBe(cut);
  });

  it('honours maxTokens, and stops when the consumer or the signal says so', async () => {
    const short = await generator.generate(plain.prompt!, { maxTokens: 3 });
    expect(short.usage!.completionTokens).toBe(3);
    expect(short.finishReason).toBe('length');

    let seen = 0;
    for await (const _ of generator.stream(plain.prompt!)) {
      seen += 1;
      break;
    }
    expect(seen).toBe(1);

    const controller = new AbortController();
    const pieces: string[] = [];
    const reading = (async () => {
      for await (const piece of generator.stream(plain.prompt!, { signal: controller.signal })) {
        pieces.push(piece);
        controller.abort(new Error('user cancelled'));
      }
    })();
    await expect(reading).rejects.toThrow('user cancelled');
    expect(pieces).toHaveLength(1);
  });

  it('refuses a prompt longer than the context window, and stops at its end', async () => {
    const long = 'the sea is calm '.repeat(200);
    await expect(generator.generate(long)).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'input', message: expect.stringContaining('at most 512') });
    const nearEnd = 'the sea is calm '.repeat(127);
    const result = await generator.generate(nearEnd, { maxTokens: 50 });
    expect(result.usage).toMatchObject({ promptTokens: 508, completionTokens: 4, totalTokens: 512 });
    expect(result.finishReason).toBe('length');
  });

  it('samples when given a temperature', async () => {
    const result = await generator.generate(plain.prompt!, { temperature: 1.5, topP: 0.9, maxTokens: 5 });
    expect(result.usage!.completionTokens).toBe(5);
  });
});
