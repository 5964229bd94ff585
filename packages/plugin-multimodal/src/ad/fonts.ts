import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { FerryError } from '@ferry/core';

export interface FontFace {
  /** The font file handed to Pango, so the face is known even if fontconfig has not indexed it. */
  file: string;
  /** Family name inside the file, as Pango selects it. */
  family: string;
}

export interface BannerFonts {
  latin: FontFace;
  /** Absent when no CJK font is installed: CJK text then fails with a clear error. */
  cjk?: FontFace;
}

export interface FontOptions {
  latin?: FontFace;
  cjk?: FontFace;
  /** Folders searched for known fonts (default: the system and user font folders). */
  searchDirs?: string[];
}

const KNOWN_FONTS: Array<{ file: RegExp; family: string; cjk: boolean }> = [
  { file: /^wqy-microhei\.ttc$/i, family: 'WenQuanYi Micro Hei', cjk: true },
  { file: /^wqy-zenhei\.ttc$/i, family: 'WenQuanYi Zen Hei', cjk: true },
  { file: /^NotoSansCJK-(Bold|Regular)\.ttc$/i, family: 'Noto Sans CJK SC', cjk: true },
  { file: /^NotoSansCJKsc-(Bold|Regular)\.otf$/i, family: 'Noto Sans CJK SC', cjk: true },
  { file: /^NotoSansSC-(Bold|Regular|VariableFont.*)\.(otf|ttf)$/i, family: 'Noto Sans SC', cjk: true },
  { file: /^PingFang\.ttc$/i, family: 'PingFang SC', cjk: true },
  { file: /^msyh\.ttc$/i, family: 'Microsoft YaHei', cjk: true },
  { file: /^DejaVuSans-Bold\.ttf$/i, family: 'DejaVu Sans', cjk: false },
  { file: /^DejaVuSans\.ttf$/i, family: 'DejaVu Sans', cjk: false },
  { file: /^LiberationSans-(Bold|Regular)\.ttf$/i, family: 'Liberation Sans', cjk: false },
  { file: /^Arial( Bold)?\.ttf$/i, family: 'Arial', cjk: false },
];

export const DEFAULT_FONT_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts', join(homedir(), '.local/share/fonts'), join(homedir(), '.fonts'), '/System/Library/Fonts', '/Library/Fonts', 'C:\\Windows\\Fonts'];

/** The apt package CI and Docker images install for Chinese banners. */
export const CJK_FONT_PACKAGE = 'fonts-wqy-microhei';

function listFonts(dir: string): string[] {
  if (!existsSync(dir)) return [];
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .sort();
  } catch {
    return [];
  }
}

const cache = new Map<string, BannerFonts>();

/** Finds a Latin and a CJK font among known files (first in KNOWN_FONTS order wins); options override. */
export function resolveFonts(options: FontOptions = {}): BannerFonts {
  const dirs = options.searchDirs ?? DEFAULT_FONT_DIRS;
  const key = JSON.stringify(options);
  const hit = cache.get(key);
  if (hit) return hit;
  const files = dirs.flatMap(listFonts);
  const find = (cjk: boolean): FontFace | undefined => {
    for (const known of KNOWN_FONTS.filter((k) => k.cjk === cjk)) {
      const file = files.find((f) => known.file.test(basename(f)));
      if (file) return { file, family: known.family };
    }
    return undefined;
  };
  for (const face of [options.latin, options.cjk]) {
    if (face && !existsSync(face.file)) {
      throw new FerryError('CONFIG_INVALID', `font file ${face.file} does not exist`, { field: 'fonts', hint: 'Give the path of an installed .ttf, .otf or .ttc file and its family name.' });
    }
  }
  const cjk = options.cjk ?? find(true);
  const latin = options.latin ?? find(false) ?? cjk;
  if (!latin) {
    throw new FerryError('CONFIG_INVALID', 'no usable font found for banners', {
      field: 'fonts',
      hint: `Install one (apt-get install fonts-dejavu-core ${CJK_FONT_PACKAGE}) or pass fonts.latin { file, family }.`,
    });
  }
  const fonts: BannerFonts = { latin, ...(cjk ? { cjk } : {}) };
  cache.set(key, fonts);
  return fonts;
}

const CJK_TEXT = /[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/;

export function hasCjk(text: string): boolean {
  return CJK_TEXT.test(text);
}

/** The face for a piece of text; CJK text without a CJK font is an error, never tofu. */
export function faceFor(text: string, fonts: BannerFonts): FontFace {
  if (!hasCjk(text)) return fonts.latin;
  if (fonts.cjk) return fonts.cjk;
  throw new FerryError('CONFIG_INVALID', `no CJK font is installed, so "${text.slice(0, 20)}" would render as empty boxes`, {
    field: 'fonts.cjk',
    hint: `Install a CJK font (apt-get install ${CJK_FONT_PACKAGE}, or fonts-noto-cjk) or pass fonts.cjk { file, family }.`,
  });
}
