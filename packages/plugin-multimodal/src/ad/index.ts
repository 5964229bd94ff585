export {
  AD_LANGUAGES,
  AD_TONES,
  IMAGE_STYLES,
  parseProduct,
  productIn,
  productSchema,
  readProduct,
  type AdLanguage,
  type AdTone,
  type ImageStyle,
  type Product,
  type ProductInput,
} from './product-schema.js';
export { extractKeywords, tokenize, type Keyword } from './keywords.js';
export { adCopySchema, type AdCopy, type CopyRequest, type CopyWriter } from './ad-copy.js';
export { COPY_TEMPLATES, type ToneTemplates } from './copy-templates.js';
export { TemplateCopyWriter } from './template-copy-writer.js';
export { ModelCopyWriter } from './model-copy-writer.js';
export { imagePrompts, type ImagePrompt } from './image-prompts.js';
export { CJK_FONT_PACKAGE, DEFAULT_FONT_DIRS, faceFor, hasCjk, resolveFonts, type BannerFonts, type FontFace, type FontOptions } from './fonts.js';
export { renderTextBlock, type TextBlock, type TextBlockRequest } from './text-block.js';
export { BANNER_SIZES, renderBanner, type BannerLayout, type BannerRequest, type BannerSize, type BannerText, type Rect } from './banner.js';
export { contrastRatio, paletteFrom, readableOn, type Palette } from './colors.js';
export { generateCampaign, type CampaignManifest, type CampaignOptions } from './campaign.js';
export { previewHtml } from './preview-html.js';
