// The state the budget and instruction benches measure paths against, made through the product's
// own API before any measuring: keys, a store, and makers of fresh posters, handoffs and logins
// in the states a path expects (bench/budget-paths.mjs).
import { createHash, randomBytes } from "node:crypto";
import { ADMIN_KEY } from "./miniflare-bench.mjs";

export const PHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
export const SHOP = "https://shop.bench";

/** The response to `promise`, which must have `status` (else the bench stops, saying `what`). */
export async function ok(promise, status, what) {
  const res = await promise;
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
  return res;
}

/** Keys, a store, and makers of fresh subjects, all through the product's own API. */
export async function seed(w) {
  const post = async (path, json, { key, headers, status = 201 } = {}) =>
    (await ok(w.send(path, { key, headers, json }), status, path)).json();
  const admin = { key: ADMIN_KEY };
  const scopes = ["handoffs:write", "posters:write", "logins:write", "stats:read"];
  /** A new secret key: `{ id, key }`. */
  const mintKey = () => post("/v1/keys", { name: "bench", kind: "secret", scopes }, admin);
  const mintSecret = async () => (await mintKey()).key;
  const secret = await mintSecret();
  const web = {
    name: "bench web",
    kind: "publishable",
    scopes: ["handoffs:write", "logins:write"],
    origins: [SHOP],
  };
  const publishable = (await post("/v1/keys", web, admin)).key;
  const store = await post("/v1/stores", { name: "Bench store" }, { key: secret });
  // A store manager's key (routes/store-scope.ts): its funnel reads the store's poster rows.
  const storeKey = (
    await post(
      "/v1/keys",
      { name: "bench store", kind: "secret", scopes: ["stats:read"], store_id: store.id },
      admin,
    )
  ).key;
  let posters = 0;
  const poster = () =>
    post(
      "/v1/posters",
      { name: `p${++posters}`, path: "/menu", store_id: store.id, campaign: "bench" },
      { key: secret },
    );
  // Every record lives as long as the product allows, so that few expire during the run (an
  // expiry's alarm and hop would land in a later path's window; the bench counts alarms apart).
  const handoff = () =>
    post(
      "/v1/handoffs",
      { path: "/cart", payload: { cart: 42 }, ttl: HANDOFF_TTL },
      { key: secret },
    );
  const scan = (url, ua = PHONE) => ok(w.send(url, { headers: { "user-agent": ua } }), 200, "scan");
  const hot = await poster();
  /**
   * The hot poster freshly in the isolate's memory, every other poster forgotten by it: the
   * isolate holds a poster 10 s (MEMORY_TTL_MS in src/store/poster-cache.ts), so wait that out.
   */
  const warmHot = async () => {
    await new Promise((resolve) => setTimeout(resolve, POSTER_MEMORY_MS + 100));
    await scan(hot.url);
  };
  /** The API keys freshly in the isolate's cache (it holds them 30 s). */
  const cacheKeys = async () => {
    await w.send("/__bench/forget-keys");
    await handoff();
    const pc = { key: publishable, headers: { origin: SHOP } };
    await post("/v1/handoffs", { ttl: HANDOFF_TTL }, pc);
  };
  /** A QR login created by the PC page (publishable key), with its PKCE verifier. */
  const login = async () => {
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const headers = { origin: SHOP, "cf-connecting-ip": nextAddress() };
    const created = await post(
      "/v1/logins",
      { code_challenge: challenge, ttl: LOGIN_TTL },
      { key: publishable, headers },
    );
    return { ...created, verifier };
  };
  /** A login the app has scanned: its scan handle for the company's backend. */
  const scannedLogin = async () => {
    const l = await login();
    const headers = { "cf-connecting-ip": nextAddress() };
    const scanned = await post("/v1/logins/scan", { url: l.url }, { headers, status: 200 });
    return { ...l, scan: scanned.scan };
  };
  /** A login the backend approved: its one-time ticket, as the PC page reads it. */
  const approvedLogin = async () => {
    const l = await scannedLogin();
    const approve = { scan: l.scan, subject: "bench-user" };
    await post(`/v1/logins/${l.id}/approve`, approve, { key: secret, status: 200 });
    const read = await ok(w.send(`/v1/logins/${l.id}?watch=${l.watch}`), 200, "login read");
    return { ...l, ticket: read.json().ticket };
  };
  return {
    post,
    secret,
    storeKey,
    mintKey,
    mintSecret,
    publishable,
    hot,
    poster,
    handoff,
    scan,
    warmHot,
    cacheKeys,
    login,
    scannedLogin,
    approvedLogin,
  };
}

/** The longest lifetimes the product allows (src/limits.ts LIMITS, src/core/login.ts). */
export const HANDOFF_TTL = 900;
export const LOGIN_TTL = 300;
/**
 * The measured handoff create with `key`: a cart for the longest lifetime (`init` adds headers).
 *
 * @example
 * w.send(...handoffCreate(key)) // POST /v1/handoffs → 201
 */
export const handoffCreate = (key, init = {}) => [
  "/v1/handoffs",
  { key, ...init, json: { path: "/cart", payload: { cart: 42 }, ttl: HANDOFF_TTL } },
];
/** How long an isolate remembers a poster (MEMORY_TTL_MS in src/store/poster-cache.ts). */
const POSTER_MEMORY_MS = 10_000;
/** `f(0)` … `f(n - 1)`, one after another: a Worker under valgrind drops connections it is sent at once. */
export const times = async (n, f) => {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await f(i));
  return out;
};
let serial = 0;
/** A client address no request before it used. */
export const nextAddress = () => `198.51.${(serial >> 8) & 255}.${++serial & 255}`;
/** A request from an address of its own, under the keyless endpoints' per-address limits. */
export const fromNextAddress = () => ({ "cf-connecting-ip": nextAddress() });
/** An idempotency key no conversion before it used. */
export const orderKey = () => `order-${++serial}`;
