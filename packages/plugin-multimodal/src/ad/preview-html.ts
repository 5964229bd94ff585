import type { CampaignManifest } from './campaign.js';

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A self-contained preview page: every banner, the copy beside it, keywords and image prompts. */
export function previewHtml(manifest: CampaignManifest): string {
  const sections = manifest.copy
    .map(({ language, tone, copy }) => {
      const banners = manifest.banners
        .filter((b) => b.language === language && b.tone === tone)
        .map((b) => `<figure><img src="${escape(b.file)}" alt="${escape(`${b.size} banner`)}" width="${Math.round(b.width / 4)}"><figcaption>${b.size} ${b.width}×${b.height}</figcaption></figure>`)
        .join('');
      return `<section lang="${language}">
<h2>${escape(language)} · ${escape(tone)}</h2>
<div class="banners">${banners}</div>
<h3>${escape(copy.headline)}</h3>
<p><em>${escape(copy.subline)}</em></p>
<ul>${copy.benefits.map((b) => `<li>${escape(b)}</li>`).join('')}</ul>
<p>${escape(copy.audienceAppeal)}</p>
<p><strong>Short:</strong> ${escape(copy.shortCopy)}</p>
<p><strong>Long:</strong> ${escape(copy.longCopy)}</p>
<p><strong>CTA:</strong> ${escape(copy.callToAction)}</p>
</section>`;
    })
    .join('\n');
  const keywords = Object.entries(manifest.keywords)
    .map(([lang, list]) => `<p><strong>${escape(lang)}:</strong> ${list.map((k) => escape(k.term)).join(', ')}</p>`)
    .join('');
  const prompts = manifest.imagePrompts.map((p) => `<li><strong>${escape(p.style)}</strong>: ${escape(p.prompt)}</li>`).join('');
  const images = manifest.images.map((i) => `<figure><img src="${escape(i.file)}" alt="${escape(i.style)}" width="256"><figcaption>${escape(i.style)}</figcaption></figure>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(manifest.product.name)} campaign</title>
<style>body{font-family:system-ui,"WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;margin:2rem;max-width:1200px}
.banners{display:flex;gap:1rem;align-items:flex-start;flex-wrap:wrap}figure{margin:0}img{border:1px solid #ddd}
section{border-top:1px solid #ccc;padding-top:1rem;margin-top:1rem}</style></head>
<body><h1>${escape(manifest.product.name)}</h1>
<p>Copy by <code>${escape(manifest.writer)}</code>${manifest.imageModel ? `, images by <code>${escape(manifest.imageModel)}</code>` : ''}.</p>
<h2>Keywords</h2>${keywords}
<h2>Image prompts</h2><ul>${prompts}</ul>
${images ? `<div class="banners">${images}</div>` : ''}
${sections}
</body></html>
`;
}
