import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CampaignManifest, MultimodalPluginApi, Product } from '@ferry/plugin-multimodal';

/** Campaign folder names: what `newCampaignId` makes; anything else (staging folders, `..`) is never served. */
export const CAMPAIGN_ID = /^[a-z0-9][a-z0-9-]{0,79}$/;

/** `hydraflow-smart-bottle-20261129-041500-3fa2c1`: readable, sortable by time, unique. */
export function newCampaignId(productName: string, now = new Date()): string {
  const slug = productName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${slug || 'campaign'}-${stamp}-${randomBytes(3).toString('hex')}`;
}

export interface CreatedCampaign {
  id: string;
  dir: string;
  manifest: CampaignManifest;
}

export interface CreateCampaignOptions {
  signal?: AbortSignal;
  onProgress?: (step: string, done: number, total: number) => void;
}

/**
 * Generates into a staging folder and renames it into place when complete,
 * so `<campaignsDir>/<id>` only ever holds a whole campaign; a failed or
 * abandoned run leaves nothing behind.
 */
export async function createCampaign(
  multimodal: MultimodalPluginApi,
  product: Product,
  campaignsDir: string,
  options: CreateCampaignOptions = {},
): Promise<CreatedCampaign> {
  const id = newCampaignId(product.name);
  const staging = join(campaignsDir, `.staging-${id}`);
  const dir = join(campaignsDir, id);
  await mkdir(campaignsDir, { recursive: true });
  try {
    const manifest = await multimodal.generateCampaign({ product, outDir: staging, ...options });
    await rename(staging, dir);
    return { id, dir, manifest };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
