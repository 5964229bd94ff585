import type { ExampleSelector, SelectOptions } from '../few-shot/example-selector.js';
import type { EvalExample, PromptVariant } from './evaluate-prompts.js';

export interface NearestNeighbourOptions extends Omit<SelectOptions, 'signal'> {
  selector: ExampleSelector<EvalExample>;
}

/**
 * Few-shot without a model: the examples MMR would put in a few-shot prompt
 * vote for their labels, weighted by relevance. It shows what the example
 * selection alone contributes before a model reads them.
 */
export function nearestNeighbourVariant(name: string, options: NearestNeighbourOptions): PromptVariant {
  const { selector, ...select } = options;
  return {
    name,
    async run(example) {
      const picks = await selector.select(example.text, select);
      const votes = new Map<string, number>();
      for (const pick of picks) {
        const label = pick.example.label;
        votes.set(label, (votes.get(label) ?? 0) + Math.max(0, pick.relevance));
      }
      let best: string | undefined;
      let bestVotes = -Infinity;
      // Map order is first-pick order, so a tie goes to the more relevant example's label.
      for (const [label, weight] of votes) {
        if (weight > bestVotes) {
          best = label;
          bestVotes = weight;
        }
      }
      return { ...(best === undefined ? {} : { label: best }), raw: JSON.stringify(picks.map((p) => p.example.label)) };
    },
  };
}
