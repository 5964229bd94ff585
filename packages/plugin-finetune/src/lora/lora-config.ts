import { formatPath } from '@ferry/core';
import { LORA_TARGET_MODULES, PEFT_MODULE_NAMES, type LoraTargetModule } from '@ferry/llama';
import { z } from 'zod';
import { finetuneError } from '../finetune-error.js';

// The target names and their PEFT spellings are @ferry/llama's, which serves the adapters.
export { LORA_TARGET_MODULES, PEFT_MODULE_NAMES, type LoraTargetModule };

const FROM_PEFT_NAME = new Map<string, LoraTargetModule>(
  LORA_TARGET_MODULES.flatMap((module) => [
    [module, module],
    [PEFT_MODULE_NAMES[module], module],
  ]),
);

/** Accepts `q` or `q_proj`; anything else is rejected with the list of valid names. */
export const loraTargetModuleSchema = z.string().transform((name, ctx): LoraTargetModule => {
  const module = FROM_PEFT_NAME.get(name);
  if (module === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown target module "${name}"; use one of ${LORA_TARGET_MODULES.join(', ')} (or PEFT's ${Object.values(PEFT_MODULE_NAMES).join(', ')})`,
    });
    return z.NEVER;
  }
  return module;
});

export const loraConfigSchema = z
  .object({
    r: z.number().int().positive(),
    alpha: z.number().positive(),
    dropout: z.number().min(0).lt(1).default(0),
    targetModules: z
      .array(loraTargetModuleSchema)
      .min(1)
      .transform((modules) => LORA_TARGET_MODULES.filter((m) => modules.includes(m))),
    /** Only 'none' (PEFT's default): biases stay frozen, Llama has none anyway. */
    bias: z.literal('none').default('none'),
  })
  .strict();

export type LoraConfigInput = z.input<typeof loraConfigSchema>;
export type LoraConfig = z.output<typeof loraConfigSchema>;

/** Validates a LoRA config, throwing a FerryError that names the bad field. */
export function parseLoraConfig(input: unknown): LoraConfig {
  const parsed = loraConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue ? formatPath(issue.path, 'lora') : 'lora';
  throw finetuneError(field, `invalid LoRA config: ${issue?.message ?? parsed.error.message}`, 'Give r (a positive integer), alpha (> 0), dropout in [0, 1) and targetModules from q, k, v, o, gate, up, down.', {
    code: 'CONFIG_INVALID',
  });
}

/** The factor on the low-rank update: alpha / r (PEFT without rsLoRA). */
export function loraScaling(config: Pick<LoraConfig, 'alpha' | 'r'>): number {
  return config.alpha / config.r;
}
