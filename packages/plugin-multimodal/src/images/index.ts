export { loadImage, loadImageOptionsSchema, type LoadedImage, type LoadImageOptions } from './load-image.js';
export { fetchImageUrl, type FetchImageOptions } from './fetch-image-url.js';
export { isPrivateAddress } from './private-address.js';
export { sniffImageFormat, isSupportedImageFormat, SUPPORTED_IMAGE_FORMATS, type SupportedImageFormat } from './image-format.js';
export { convertChannels, type PixelBuffer } from './raw-image-ops.js';
export { clipPreprocess, type PreprocessedImage } from './clip-preprocess.js';
export {
  CLIP_PREPROCESSOR_CONFIG,
  parsePreprocessorConfig,
  preprocessorConfigSchema,
  readPreprocessorConfig,
  type PreprocessorConfig,
  type PreprocessorConfigInput,
} from './preprocessor-config.js';
export { encodeImage, type EncodeImageOptions } from './encode-image.js';
