import { readdir } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { FerryError, type EmbedOptions, type ImageEmbedder, type ImageInput } from '@ferry/core';
import { requireTextSide } from './zero-shot.js';
import { dot, normalize } from './vector-math.js';

export interface ImageHit {
  /** Path relative to the indexed folder (or the id given to add()). */
  id: string;
  score: number;
}

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif']);

async function listImages(dir: string, recursive: boolean): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive });
  return entries
    .filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Text-to-image and image-to-image search by cosine similarity, held in
 * memory. Seam: the rag plugin's vector store can take these same unit
 * vectors (id + embedding) when a folder outgrows memory.
 */
export class ImageSearchIndex {
  private readonly ids: string[] = [];
  private readonly vectors: Float32Array[] = [];

  constructor(private readonly embedder: ImageEmbedder) {}

  get size(): number {
    return this.ids.length;
  }

  /** Embeds every image file under `dir` in batches; ids are paths relative to `dir`. */
  async addFolder(dir: string, options: EmbedOptions & { recursive?: boolean; batchSize?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<number> {
    let files: string[];
    try {
      files = await listImages(dir, options.recursive ?? true);
    } catch (cause) {
      throw new FerryError('INPUT_INVALID', `cannot list images in ${dir}`, { field: 'folder', hint: 'Give an existing folder of images.', cause });
    }
    const batch = options.batchSize ?? 16;
    for (let i = 0; i < files.length; i += batch) {
      const slice = files.slice(i, i + batch);
      await this.add(
        slice.map((f) => relative(dir, f)),
        slice.map((path) => ({ path })),
        options,
      );
      options.onProgress?.(Math.min(i + batch, files.length), files.length);
    }
    return files.length;
  }

  async add(ids: string[], images: ImageInput[], options: EmbedOptions = {}): Promise<void> {
    const vectors = await this.embedder.embedImages(images, options);
    ids.forEach((id, i) => {
      const v = vectors[i];
      if (!v) return;
      this.ids.push(id);
      this.vectors.push(normalize(v));
    });
  }

  async searchText(query: string, k = 5, options: EmbedOptions = {}): Promise<ImageHit[]> {
    const [vector] = await requireTextSide(this.embedder)([query], options);
    return this.nearest(vector ?? new Float32Array(0), k);
  }

  async searchImage(image: ImageInput, k = 5, options: EmbedOptions = {}): Promise<ImageHit[]> {
    const [vector] = await this.embedder.embedImages([image], options);
    return this.nearest(vector ?? new Float32Array(0), k);
  }

  /** Exact cosine top-k over everything indexed. */
  nearest(query: Float32Array, k: number): ImageHit[] {
    const q = normalize(query);
    return this.ids
      .map((id, i) => ({ id, score: dot(q, this.vectors[i] ?? new Float32Array(0)) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }
}
