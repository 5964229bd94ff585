import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { FerryError } from '@ferry/core';

/** transformers.js's tokenizer for a local folder (tokenizer.json + tokenizer_config.json); never goes online. */
export async function loadTokenizer(folder: string): Promise<PreTrainedTokenizer> {
  const file = join(folder, 'tokenizer.json');
  try {
    await access(file);
  } catch {
    throw new FerryError('MODEL_NOT_FOUND', `${file} is missing`, {
      field: 'tokenizer.json',
      hint: 'Download tokenizer.json and tokenizer_config.json from the model repository into the folder.',
      details: { file, folder },
    });
  }
  try {
    // An absolute folder with local_files_only is read from disk; no hub lookup happens.
    return await AutoTokenizer.from_pretrained(folder, { local_files_only: true });
  } catch (error) {
    throw new FerryError('INPUT_INVALID', `${folder}: tokenizer.json / tokenizer_config.json cannot be loaded (${(error as Error).message})`, {
      field: 'tokenizer.json',
      hint: 'Restore the tokenizer files from the model repository.',
      details: { file, folder },
      cause: error,
    });
  }
}
