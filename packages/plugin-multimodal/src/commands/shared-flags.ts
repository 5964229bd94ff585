import { Flags } from '@oclif/core';

export const modelFlags = {
  model: Flags.string({ char: 'm', required: true, description: 'image-embedding model: provider:model, e.g. transformers:Xenova/clip-vit-base-patch32 or transformers:./models/clip' }),
  config: Flags.string({ description: 'ferry config file (or its folder) that defines providers and model aliases' }),
  json: Flags.boolean({ description: 'print JSON' }),
};
