export { conformanceCases } from './conformance-cases.js';
export type {
  AnyConformanceCase,
  ConformanceCase,
  ConformanceOptions,
  ConformanceReport,
  ConformanceResult,
  Tolerance,
} from './conformance-types.js';
export { describeConformance, type TestRegistrar } from './describe-conformance.js';
export { formatConformanceReport } from './format-conformance-report.js';
export { runConformance, runConformanceCase } from './run-conformance.js';
export { runCommand, type CommandRun, type RunnableCommand } from './run-command.js';
export { loadBanking77, loadBanking77Labels, loadXquadParagraphs, readSharedData, type QaParagraph } from './shared-data.js';
export { ferryErrorOf } from './ferry-error-of.js';
