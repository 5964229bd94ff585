export { COMMANDS } from './commands.js';
export { createDemoPipeline, demoAnswerSchema, type DemoAnswer, type DemoModels, type Passage } from './demo/demo-pipeline.js';
export { checkConfig, checkCuda, checkKernels, checkNode, type CheckResult, type CheckStatus } from './doctor-checks.js';
export { discoverPluginCommandPackages, type PluginAdditions } from './plugin-command-discovery.js';
