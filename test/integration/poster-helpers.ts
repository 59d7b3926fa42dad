// Helpers for the poster tests: create stores and posters through the API, read hops.
import { env as testEnv } from "cloudflare:workers";

/** The test bindings, typed (the generated Env type does not list them). */
export const env = testEnv as unknown as { DB: D1Database; CACHE: KVNamespace };

import { expect } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import type { PosterRecord } from "../../src/store/posters";
import { call, mintKey } from "./helpers";

/** A poster as the API returns it. */
export type PosterJson = PosterRecord & {
  display_code: string;
  url: string;
  qr: { svg: string; png: string };
};

/** The hop columns the poster tests read. */
export type HopJson = Pick<
  HopRow,
  | "event_id"
  | "kind"
  | "subject_id"
  | "hop"
  | "store_id"
  | "campaign_id"
  | "poster_id"
  | "session_id"
  | "platform"
  | "bot"
  | "detail"
>;

export const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
export const SLACKBOT = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";

// By test file: files share this module when they share a runtime (vitest.config.ts), and a
// file on fresh storage (test/integration/fresh-storage.ts) would hold a key of the storage before.
const keys = new Map<string, Promise<string>>();
/** A secret key with posters:write, minted once per test file. */
export function posterKey(): Promise<string> {
  const file = expect.getState().testPath ?? "";
  const known = keys.get(file);
  if (known) return known;
  const key = mintKey("secret", ["posters:write"]);
  keys.set(file, key);
  return key;
}

/** POST /v1/stores and return the store. */
export async function makeStore(name = "Shibuya", extra: Record<string, unknown> = {}) {
  const res = await call("/v1/stores", {
    method: "POST",
    key: await posterKey(),
    json: { name, ...extra },
  });
  if (res.status !== 201) throw new Error(`store: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; name: string };
}

/** POST /v1/posters and return the poster. */
export async function makePoster(body: Record<string, unknown> = {}): Promise<PosterJson> {
  const res = await call("/v1/posters", {
    method: "POST",
    key: await posterKey(),
    json: { name: "Front door", path: "/menu", ...body },
  });
  if (res.status !== 201) throw new Error(`poster: ${res.status} ${await res.text()}`);
  return (await res.json()) as PosterJson;
}

/** PATCH /v1/posters/:id and return the response. */
export async function patchPoster(id: string, json: Record<string, unknown>): Promise<Response> {
  return call(`/v1/posters/${id}`, { method: "PATCH", key: await posterKey(), json });
}

/** GET a scan URL as a phone (or the given UA). */
export function scan(path: string, ua = IPHONE, headers: Record<string, string> = {}) {
  return call(path, { headers: { "user-agent": ua, ...headers } });
}

/** The attribution session a poster's landing page put into its app links (`?s=`). */
export async function scannedSession(code: string): Promise<string> {
  const html = await (await scan(`/p/${code}`)).text();
  return /[?&]s=([0-9A-Z]{42})/.exec(html)![1]!;
}

export { waitForHops } from "./hop-helpers";
