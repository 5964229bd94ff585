import { join } from 'node:path';
import type { ImageEmbedder } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIP_FIXTURES, tinyClip } from '../clip/tiny-clip.test-helper.js';
import { classifyImages } from '../clip/zero-shot.js';
import { parseClosedQuestion } from './closed-questions.js';
import { ClipVqaModel } from './clip-vqa-model.js';

describe('parseClosedQuestion', () => {
  it('recognises object, colour and either-or questions and nothing else', () => {
    expect(parseClosedQuestion('What is the main object?')?.kind).toBe('object');
    expect(parseClosedQuestion("what's in this picture")?.kind).toBe('object');
    expect(parseClosedQuestion('What colour is the car?')).toMatchObject({ kind: 'colour', subject: 'car' });
    expect(parseClosedQuestion('what color is it')).toMatchObject({ kind: 'colour', subject: 'object' });
    expect(parseClosedQuestion('Is it a cat or a dog?')).toMatchObject({ kind: 'choice', options: ['cat', 'dog'] });
    expect(parseClosedQuestion('Is this a square, a circle or a star?')).toMatchObject({ options: ['square', 'circle', 'star'] });
    expect(parseClosedQuestion('Why is the man smiling?')).toBeUndefined();
    expect(parseClosedQuestion('Write a poem about this image')).toBeUndefined();
  });
});

describe('ClipVqaModel (tiny CLIP fixture)', () => {
  let clip: ImageEmbedder;
  beforeAll(async () => {
    clip = await tinyClip();
  });
  afterAll(async () => {
    await clip.dispose?.();
  });

  it('answers closed questions with the zero-shot winner and refuses open ones', async () => {
    const image = { path: join(CLIP_FIXTURES, 'images/red-square.png') };
    const vqa = new ClipVqaModel(clip, { colours: ['red', 'blue', 'green'] });
    const colour = await vqa.answer(image, 'What colour is the square?');
    const [expected] = await classifyImages(clip, [image], ['red', 'blue', 'green'], { templates: ['a photo of a {} square.'] });
    expect(colour).toMatchObject({ text: expected?.label, finishReason: 'stop' });
    const choice = await vqa.answer(image, 'Is it a checkerboard or a square?');
    expect(['checkerboard', 'square']).toContain(choice.text);
    const open = await vqa.answer(image, 'Why would someone paint this?');
    expect(open.finishReason).toBe('no-answer');
    expect(open.text).toMatch(/cannot answer open-ended questions/);
    expect(vqa.metadata.task).toBe('vision-language');
  });
});
