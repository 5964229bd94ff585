import type { PipelineSummary } from '../plugins/pipeline-registry.js';

/**
 * A Mermaid flowchart of an app's pipelines: one box per pipeline (with its
 * owner: the plugin that registered it, or the app file that builds it), its
 * steps in order, each step's middleware under its name. Pipelines without
 * known steps are drawn as one node.
 */
export function pipelinesToMermaid(pipelines: readonly PipelineSummary[]): string {
  const lines = ['flowchart LR'];
  pipelines.forEach((pipeline, p) => {
    lines.push(`  subgraph p${p}["${label(pipeline.name)} (${label(pipeline.owner)})"]`);
    const steps = pipeline.steps ?? [];
    if (steps.length === 0) lines.push(`    p${p}s0["${label(pipeline.description ?? pipeline.name)}"]`);
    steps.forEach((step, s) => {
      const middleware = step.middleware.length > 0 ? `<br/><i>${step.middleware.map(label).join(', ')}</i>` : '';
      lines.push(`    p${p}s${s}["${label(step.name)}${middleware}"]`);
      if (s > 0) lines.push(`    p${p}s${s - 1} --> p${p}s${s}`);
    });
    lines.push('  end');
  });
  if (pipelines.length === 0) lines.push('  empty["no pipelines"]');
  return `${lines.join('\n')}\n`;
}

// Quotes end a Mermaid label; angle brackets would be read as HTML.
function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
