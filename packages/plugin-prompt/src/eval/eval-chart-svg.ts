import type { EvalReport } from './evaluate-prompts.js';

const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { top: 56, right: 24, bottom: 96, left: 64 };
const SERIES = [
  { key: 'accuracy', title: 'accuracy', color: '#3366cc' },
  { key: 'macroF1', title: 'macro-F1', color: '#ff9900' },
] as const;

/**
 * Grouped bar chart of accuracy and macro-F1 per variant as a standalone
 * SVG document: hand-written so the package needs no charting dependency.
 */
export function evalChartSvg(report: EvalReport, title = 'Prompt evaluation: accuracy and macro-F1 per variant'): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (value: number): number => MARGIN.top + plotHeight * (1 - value);
  const groupWidth = plotWidth / Math.max(1, report.variants.length);
  const barWidth = Math.min(48, (groupWidth * 0.8) / SERIES.length);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${WIDTH / 2}" y="42" text-anchor="middle" fill="#555555">${report.examples} examples</text>`,
  ];
  for (let tick = 0; tick <= 5; tick++) {
    const value = tick / 5;
    parts.push(
      `<line x1="${MARGIN.left}" y1="${fmt(y(value))}" x2="${WIDTH - MARGIN.right}" y2="${fmt(y(value))}" stroke="#e0e0e0"/>`,
      `<text x="${MARGIN.left - 6}" y="${fmt(y(value) + 4)}" text-anchor="end">${value.toFixed(1)}</text>`,
    );
  }
  report.variants.forEach((variant, g) => {
    const groupX = MARGIN.left + g * groupWidth + (groupWidth - barWidth * SERIES.length) / 2;
    SERIES.forEach((series, s) => {
      const value = clamp01(variant[series.key]);
      const x = groupX + s * barWidth;
      parts.push(
        `<rect x="${fmt(x)}" y="${fmt(y(value))}" width="${fmt(barWidth - 2)}" height="${fmt(plotHeight * value)}" fill="${series.color}"><title>${escapeXml(`${variant.name} ${series.title}: ${value.toFixed(3)}`)}</title></rect>`,
        `<text x="${fmt(x + (barWidth - 2) / 2)}" y="${fmt(y(value) - 4)}" text-anchor="middle" font-size="10">${value.toFixed(3)}</text>`,
      );
    });
    parts.push(`<text x="${fmt(MARGIN.left + (g + 0.5) * groupWidth)}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${escapeXml(variant.name)}</text>`);
  });
  parts.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${HEIGHT - MARGIN.bottom}" stroke="#333333"/>`,
    `<line x1="${MARGIN.left}" y1="${HEIGHT - MARGIN.bottom}" x2="${WIDTH - MARGIN.right}" y2="${HEIGHT - MARGIN.bottom}" stroke="#333333"/>`,
    `<text x="18" y="${fmt(MARGIN.top + plotHeight / 2)}" text-anchor="middle" transform="rotate(-90 18 ${fmt(MARGIN.top + plotHeight / 2)})">score (0-1)</text>`,
    `<text x="${fmt(MARGIN.left + plotWidth / 2)}" y="${HEIGHT - MARGIN.bottom + 44}" text-anchor="middle">variant</text>`,
  );
  SERIES.forEach((series, s) => {
    const x = MARGIN.left + s * 120;
    const legendY = HEIGHT - 24;
    parts.push(`<rect x="${x}" y="${legendY - 10}" width="12" height="12" fill="${series.color}"/>`, `<text x="${x + 18}" y="${legendY}">${series.title}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

function fmt(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
