import type { ConfusionMatrix } from '@ferry/plugin-prompt';
import { escapeXml } from '../plot/svg-text.js';

/** The confusion matrix as an SVG heat map: cell shade by the share of its gold row, count and row percentage printed. */
export function confusionMatrixSvg(confusion: ConfusionMatrix, title = 'Confusion matrix'): string {
  const n = confusion.labels.length;
  const cell = 84;
  const left = 24 + Math.max(...confusion.labels.map((l) => l.length)) * 8;
  const top = 72;
  const width = left + n * cell + 24;
  const height = top + n * cell + 48;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    `<text x="${left + (n * cell) / 2}" y="44" text-anchor="middle">predicted</text>`,
    `<text transform="translate(14 ${top + (n * cell) / 2}) rotate(-90)" text-anchor="middle">gold</text>`,
  ];
  confusion.labels.forEach((label, i) => {
    out.push(`<text x="${left + i * cell + cell / 2}" y="${top - 8}" text-anchor="middle">${escapeXml(label)}</text>`);
    out.push(`<text x="${left - 8}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${escapeXml(label)}</text>`);
    const row = confusion.matrix[i] ?? [];
    const total = row.reduce((s, v) => s + v, 0) + (confusion.unlabelled[i] ?? 0);
    row.forEach((count, j) => {
      const share = total === 0 ? 0 : count / total;
      const shade = Math.round(255 - share * 200);
      const x = left + j * cell;
      const y = top + i * cell;
      out.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="rgb(${shade},${shade},255)" stroke="white"/>`);
      out.push(`<text x="${x + cell / 2}" y="${y + cell / 2}" text-anchor="middle" fill="${share > 0.5 ? 'white' : 'black'}" font-size="14">${count}</text>`);
      out.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 16}" text-anchor="middle" fill="${share > 0.5 ? 'white' : 'black'}">${(share * 100).toFixed(1)}%</text>`);
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
