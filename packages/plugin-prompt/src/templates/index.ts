export { definePrompt } from './prompt-template.js';
export type {
  ChatPromptDefinition,
  MessageTemplate,
  PromptOutput,
  PromptTemplate,
  TextPromptDefinition,
  VariablesSchema,
} from './prompt-template.js';
export { loadPromptFile, parsePromptFile } from './prompt-file.js';
export { objectSchemaFromJson, schemaFromJson } from './schema-from-json.js';
export { fitToBudget } from './fit-to-budget.js';
export type { BudgetOptions, BudgetParts, BudgetResult } from './fit-to-budget.js';
export { estimateTokens } from './token-estimate.js';
export type { TokenCounter } from './token-estimate.js';
export { collectTemplateReferences } from './template-references.js';
export type { TemplateReferences } from './template-references.js';
export { createPromptEnvironment, PROMPT_HELPERS } from './handlebars-env.js';
