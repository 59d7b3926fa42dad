/**
 * The README's quick start as a typed client makes it: openapi-fetch over the types
 * openapi-typescript generates from /openapi.json (`npm run check:contract` generates them and
 * compiles this file). Each call sends the README's own body (the values it abbreviates, `…`,
 * replaced by the real ones), so a field renamed in the document, or in the README, or a step
 * the README drops, fails to compile here.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/api";
import * as readme from "./generated/readme-bodies";

type Schemas = components["schemas"];
// The 200 of POST /v1/resolve as openapi-fetch reads it: its Readable<> drops a property whose
// type is exactly `null` (the handoff's `attribution`), so the fields used are picked.
type ResolvedLink =
  | Pick<Schemas["ResolvedHandoff"], "kind" | "id" | "path" | "payload" | "session">
  | Pick<Schemas["ResolvedPoster"], "kind" | "id" | "path" | "params" | "attribution">;

/**
 * What the app does with a resolved link: a typed client tells the kinds apart by `kind`. Either
 * kind hands back the session its events are reported with.
 */
export function destination(link: ResolvedLink): { path: string; session: string | null } {
  switch (link.kind) {
    case "handoff":
      return { path: link.path ?? "/", session: link.session };
    case "poster":
      return { path: link.path, session: link.attribution.session };
  }
}

/** Fail with the documented error body. */
function fail(step: string, error: Schemas["Error"] | undefined): never {
  throw new Error(`${step}: ${error?.error ?? "no answer"}: ${error?.message ?? ""}`);
}

/**
 * Mint a secret key, hand a session to the app, print a poster, resolve both links as the app
 * and report the app open: each step of the README's quick start, in order.
 *
 * @example
 * await quickStart("http://localhost:8787", "qb_admin_dev_only_do_not_use_in_production");
 */
export async function quickStart(baseUrl: string, adminKey: string, fetch = globalThis.fetch) {
  const bridge = createClient<paths>({ baseUrl, fetch });
  const as = (key: string) => ({ Authorization: `Bearer ${key}` });

  // 1. The admin key mints a secret key for the backend (shown once).
  const minted = await bridge.POST("/v1/keys", { headers: as(adminKey), body: readme.createKey });
  if (!minted.data) fail("mint a key", minted.error);
  const key: string = minted.data.key;

  // 2. The PC page's backend creates a handoff; the page shows `qr.svg` and watches with `watch`.
  const handoff = await bridge.POST("/v1/handoffs", {
    headers: as(key),
    body: readme.createHandoff,
  });
  if (!handoff.data) fail("create a handoff", handoff.error);
  const { id, url, watch, qr, expires_at } = handoff.data;
  const image: string = qr.svg;

  // 3. The app resolves the scanned link, exactly once.
  const resolved = await bridge.POST("/v1/resolve", { body: { ...readme.resolveLink, url } });
  if (resolved.response.status !== 200 || !resolved.data || !("path" in resolved.data))
    fail("resolve the handoff", resolved.error);
  const opened = destination(resolved.data);

  // The PC page sees it redeemed, with its watch secret (no key in the page).
  const status = await bridge.GET("/v1/handoffs/{id}", {
    params: { path: { id }, query: { watch } },
  });
  if (!status.data) fail("watch the handoff", status.error);
  const redeemed: boolean = status.data.status === "redeemed";

  // 4. A printed poster for a campaign (created on first use).
  const poster = await bridge.POST("/v1/posters", {
    headers: as(key),
    body: readme.createPoster,
  });
  if (!poster.data) fail("create a poster", poster.error);
  const { url: posterUrl, display_code } = poster.data;

  // 5. The app resolves the scanned poster and reports that it opened, in its attribution session.
  const scanned = await bridge.POST("/v1/resolve", {
    body: { ...readme.resolveLink2, url: posterUrl },
  });
  if (!scanned.data || !("path" in scanned.data)) fail("resolve the poster", scanned.error);
  const { session } = destination(scanned.data);
  if (session === null) throw new Error("a poster link resolved as a handoff");
  const event = await bridge.POST("/v1/events", { body: { ...readme.reportEvent, session } });
  if (!event.data) fail("report the app open", event.error);

  return {
    handoff: { id, image, expires_at, opened, redeemed },
    poster: { display_code, opened: destination(scanned.data) },
    event: event.data.event_id,
  };
}
