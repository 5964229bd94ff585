import { FerryError } from '@ferry/core';

/**
 * A `..` step, a leading "/", ".", "~" or drive letter, or a backslash: the
 * model part of a reference that names a place on disk rather than a model.
 * Hub ids ("Xenova/all-MiniLM-L6-v2") and tags ("llama3.2:1b") pass.
 */
const PATH_LIKE = /^[/.~]|^[a-zA-Z]:|\\|(?:^|\/)\.\.(?:\/|$)/;

/**
 * Refuses a raw `provider:model` reference from a request whose model part is
 * a file path. Providers such as `llama:` and `transformers:` load that part
 * from disk, so `llama:/srv/other-tenant/model` in a request body would make
 * the server open folders the operator never configured. Model folders belong
 * in the app config, under an alias; aliases are not checked here.
 */
export function refusePathModelRef(name: string): void {
  const at = name.indexOf(':');
  if (at <= 0 || !PATH_LIKE.test(name.slice(at + 1))) return;
  throw new FerryError('INPUT_INVALID', `model "${name}" names a file path, which requests may not load`, {
    field: 'model',
    hint: 'Use an alias from the app config or a model id such as "offline:hash-384" or "transformers:Xenova/all-MiniLM-L6-v2"; put local model folders in the config under an alias.',
  });
}
