/**
 * What the dev-only demo at `/` needs in D1: a publishable key valid for the page's own origin,
 * a secret key for the demo's "company backend" (the checkout's handoffs; QR login: approve and
 * exchange), and a demo store with one poster. Only ever called when `config.demo` is on (never
 * by default in production). All are created once and then found again.
 */
import { sha256Hex } from "../core/hash";
import type { Keyring } from "../core/token";
import { createPosters } from "./poster-create";
import { getPoster, type PosterRecord } from "./posters";
import { createStore } from "./stores";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** `ref` of the demo store, how the demo finds it again. */
export const DEMO_STORE_REF = "qrbridge-demo";

async function hmac(secret: string, message: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message)));
}

/**
 * The demo's publishable key for `origin`: `qb_pk_demo_` + 24 base62 characters of
 * HMAC(admin key, origin). Deterministic, so every page load gets the same key without storing
 * its text; unguessable without the admin key. `kind: "secret"` gives the demo backend's key,
 * `qb_sk_demo_…`, from another message.
 *
 * @example
 * await demoKeyFor(config.adminKey, "http://localhost:8787") // "qb_pk_demo_3kQ…"
 */
export async function demoKeyFor(
  adminKey: string,
  origin: string,
  kind: "publishable" | "secret" = "publishable",
): Promise<string> {
  const label = kind === "secret" ? "qrbridge demo backend key" : "qrbridge demo key";
  const mac = await hmac(adminKey, `${label}\n${origin}`);
  let out = "";
  for (let i = 0; i < 24; i++) out += BASE62[mac[i]! % 62];
  return `${kind === "secret" ? "qb_sk" : "qb_pk"}_demo_${out}`;
}

const DEMO_KEYS = {
  publishable: { name: "demo page", scopes: ["handoffs:write", "logins:write"], pinned: true },
  secret: { name: "demo backend", scopes: ["handoffs:write", "logins:write"], pinned: false },
} as const;

/**
 * Make sure a demo key for `origin` exists (hash only): the page's publishable key (handoffs
 * and logins, that origin only), or the demo backend's secret key (handoffs and logins). A
 * second call brings the scopes up to date and changes nothing else: a revoked demo key stays
 * revoked.
 *
 * @example
 * const key = await ensureDemoKey(env.DB, config.adminKey, new URL(c.req.url).origin);
 */
export async function ensureDemoKey(
  db: D1Database,
  adminKey: string,
  origin: string,
  kind: "publishable" | "secret" = "publishable",
): Promise<string> {
  const key = await demoKeyFor(adminKey, origin, kind);
  const hash = await sha256Hex(key);
  const spec = DEMO_KEYS[kind];
  await db
    .prepare(
      `INSERT INTO api_keys (id, name, kind, key_hash, prefix, scopes, origins, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET scopes = excluded.scopes`,
    )
    .bind(
      `key_demo${hash.slice(0, 12)}`,
      `${spec.name} (${origin})`.slice(0, 100),
      kind,
      hash,
      key.slice(0, 12),
      JSON.stringify(spec.scopes),
      JSON.stringify(spec.pinned ? [origin] : []),
      Date.now(),
    )
    .run();
  return key;
}

async function findOrCreatePoster(db: D1Database, ring: Keyring): Promise<PosterRecord> {
  const row = await db
    .prepare(
      `SELECT p.id FROM posters p JOIN stores s ON s.id = p.store_id
       WHERE s.ref = ? AND p.deleted_at IS NULL ORDER BY p.created_at LIMIT 1`,
    )
    .bind(DEMO_STORE_REF)
    .first<{ id: string }>();
  const found = row ? await getPoster(db, row.id) : null;
  if (found) return found;
  const store = await createStore(db, {
    name: "Demo store",
    address: "1 Example Street",
    ref: DEMO_STORE_REF,
  });
  const out = await createPosters(db, ring, [
    {
      name: "Demo poster (window)",
      path: "/menu",
      store_id: store.id,
      campaign: "demo",
      params: { utm_source: "poster", table: "4" },
    },
  ]);
  if (!out.ok) throw new Error(`demo poster: ${JSON.stringify(out.errors)}`);
  return out.posters[0]!;
}

/**
 * The demo poster (in the demo store, campaign "demo"), created on first use.
 *
 * @example
 * const poster = await ensureDemoPoster(env.DB, config.keyring);
 */
export function ensureDemoPoster(db: D1Database, ring: Keyring): Promise<PosterRecord> {
  // Two first page loads at the same instant may each create one; harmless for a dev demo.
  return findOrCreatePoster(db, ring);
}
