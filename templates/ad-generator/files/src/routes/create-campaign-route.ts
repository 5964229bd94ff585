import type { CampaignManifest, MultimodalPluginApi } from '@ferry/plugin-multimodal';
import { productSchema } from '@ferry/plugin-multimodal';
import { defineRoute, HttpError } from '@ferry/server';
import { z } from 'zod';
import { createCampaign } from '../campaigns.js';

/**
 * The product JSON of the multimodal plugin, minus `photo`: over HTTP a path
 * would read any image on the server. Photos go through the CLI.
 */
const productBody = productSchema.extend({
  photo: z.never({ error: 'a photo path is not accepted over HTTP; run `npm run ad` with the photo next to the product file' }).optional(),
});

/** Where each file of a campaign is served. */
export function campaignUrls(id: string, manifest: CampaignManifest) {
  const base = `/api/campaigns/${id}`;
  return {
    campaign: `${base}/campaign.json`,
    preview: `${base}/index.html`,
    banners: manifest.banners.map((b) => ({ language: b.language, tone: b.tone, size: b.size, width: b.width, height: b.height, url: `${base}/${b.file}` })),
    images: manifest.images.map((i) => ({ style: i.style, url: `${base}/${i.file}` })),
  };
}

/**
 * POST /api/campaigns { product } -> 201 { id, campaign, urls }. Rendering is
 * CPU-heavy, so at most `concurrency` campaigns render at once; more get 429.
 */
export function createCampaignRoute(multimodal: MultimodalPluginApi, campaignsDir: string, concurrency: number) {
  let running = 0;
  return defineRoute({
    method: 'POST',
    url: '/api/campaigns',
    scope: 'campaigns',
    body: productBody,
    handler: async ({ body, reply }) => {
      if (running >= concurrency) {
        throw new HttpError(429, 'CAMPAIGNS_BUSY', `${running} campaigns are being generated`, 'Retry in a few seconds, or raise FERRY_CAMPAIGN_CONCURRENCY.', undefined, { 'retry-after': '5' });
      }
      // The response closing before it is written means the client left: stop rendering for nobody.
      const controller = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
      });
      running += 1;
      try {
        const { id, manifest } = await createCampaign(multimodal, body, campaignsDir, { signal: controller.signal });
        const urls = campaignUrls(id, manifest);
        reply.code(201).header('location', urls.campaign);
        return { id, campaign: manifest, urls };
      } finally {
        running -= 1;
      }
    },
  });
}
