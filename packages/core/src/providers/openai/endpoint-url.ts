// Query parameters that carry credentials (Azure SAS `sig`, `api-key`, `token`...).
const SECRET_PARAM = /key|token|secret|sig|pass|auth/i;

/**
 * `baseURL` + `/chat/completions`, keeping the base's own path (`/v1`) and
 * query (Azure's `?api-version=`), which string concatenation would not.
 */
export function endpointURL(baseURL: string, path: string): URL {
  const url = new URL(baseURL);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  return url;
}

/** The URL as it may appear in errors and logs: no user info, no secret query values. */
export function displayURL(url: URL): string {
  const shown = new URL(url);
  shown.username = '';
  shown.password = '';
  for (const name of [...shown.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) shown.searchParams.set(name, '***');
  }
  return shown.toString();
}
