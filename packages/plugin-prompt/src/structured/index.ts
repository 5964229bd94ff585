export { schemaInstructions } from './schema-instructions.js';
export { extractJson, type ExtractedJson } from './extract-json.js';
export { generateStructured, type GenerateStructuredOptions, type StructuredResult } from './generate-structured.js';
