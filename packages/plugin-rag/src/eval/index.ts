export { evaluateRetrieval, formatEvaluation, type EvaluateOptions, type QuestionResult, type RetrievalEvaluation } from './evaluate-retrieval.js';
export { loadQaFile, parseQaItems, qaItemSchema, type QaItem, type QaItemInput } from './qa-item.js';
