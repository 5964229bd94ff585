export {
  createExampleSelector,
  selectExamples,
  type ExampleSelector,
  type FewShotExample,
  type SelectExamplesInput,
  type SelectOptions,
  type SelectedExample,
} from './example-selector.js';
export { maximalMarginalRelevance, type MmrInput, type MmrPick } from './maximal-marginal-relevance.js';
