import { Flags } from '@oclif/core';

/** Every command that reads an app takes the same flag, defaulting to the current folder. */
export const configFlag = Flags.string({
  char: 'c',
  description: 'ferry config file, or the folder holding one (ferry.config.ts / .js / .json)',
  env: 'FERRY_CONFIG',
});
