// One safetensors reader and writer for Ferry, in @ferry/llama; re-exported for this package's checkpoints and API.
export { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors, type SafetensorsFile } from '@ferry/llama';
