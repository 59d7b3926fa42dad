/**
 * The answer of a file the bridge serves to any page under a content-hash version: the embed
 * (`/sdk/qrbridge.<version>.js`, sdk.ts) and its language catalogs (`/sdk/i18n/…`, sdk-i18n.ts).
 * A name carrying the current version never changes (a year, immutable); any other name is
 * short-cached and revalidated by its ETag, so pages that use it pick up fixes. Public, no
 * credentials: any origin may read it.
 */
import type { Context } from "hono";

/** What {@link versionedFile} answers with. */
export interface VersionedFile {
  /** The name asked for carries the current version. */
  immutable: boolean;
  /** The content's hash. */
  version: string;
  /** The response header that states the version, e.g. `x-qrbridge-sdk-version`. */
  versionHeader: string;
  contentType: string;
  /** The bytes, read only when the client does not already hold them. */
  body: () => string | Promise<string>;
}

/**
 * `304` when `If-None-Match` names the version's ETag, else `200` with the body; both with the
 * caching, CORS and version headers.
 *
 * @example
 * return versionedFile(c, { immutable: m[1] === EMBED_VERSION, version: EMBED_VERSION,
 *   versionHeader: "x-qrbridge-sdk-version", contentType: "text/javascript; charset=utf-8",
 *   body: async () => (await browserKit()).EMBED_JS });
 */
export async function versionedFile(c: Context, file: VersionedFile): Promise<Response> {
  const etag = `"${file.version}"`;
  const headers: Record<string, string> = {
    "cache-control": file.immutable
      ? "public, max-age=31536000, immutable"
      : "public, max-age=300, stale-while-revalidate=3600",
    "access-control-allow-origin": "*",
    "x-content-type-options": "nosniff",
    [file.versionHeader]: file.version,
    etag,
  };
  const match = c.req.header("if-none-match");
  if (match?.split(/\s*,\s*/).some((t) => t.replace(/^W\//, "") === etag)) {
    return c.body(null, 304, headers);
  }
  return c.body(await file.body(), 200, { ...headers, "content-type": file.contentType });
}
