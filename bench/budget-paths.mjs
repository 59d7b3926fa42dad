// The paths the budget bench measures, each with the state it needs made beforehand (unmeasured):
// `prepare(n)` returns n request inputs and leaves the Worker as the path expects it (a poster
// in the isolate's memory, in KV only, or in D1 only; an API key cached; a fresh or scanned
// handoff); `request(input)` is the measured request.
import { createHash, randomBytes } from "node:crypto";
import { ADMIN_KEY } from "./miniflare-bench.mjs";

export const PHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
const BOT = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";
const SHOP = "https://shop.bench";
const BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

async function ok(promise, status, what) {
  const res = await promise;
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
  return res;
}

/** Keys, a store, and makers of fresh subjects, all through the product's own API. */
export async function seed(w) {
  const post = async (path, json, { key, headers, status = 201 } = {}) =>
    (await ok(w.send(path, { key, headers, json }), status, path)).json();
  const admin = { key: ADMIN_KEY };
  const scopes = ["handoffs:write", "posters:write", "logins:write"];
  const mintSecret = async () =>
    (await post("/v1/keys", { name: "bench", kind: "secret", scopes }, admin)).key;
  const secret = await mintSecret();
  const web = {
    name: "bench web",
    kind: "publishable",
    scopes: ["handoffs:write", "logins:write"],
    origins: [SHOP],
  };
  const publishable = (await post("/v1/keys", web, admin)).key;
  const store = await post("/v1/stores", { name: "Bench store" }, { key: secret });
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
    secret,
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

/** The longest lifetimes the product allows (src/config.ts LIMITS, src/core/login.ts). */
const HANDOFF_TTL = 900;
const LOGIN_TTL = 300;
/** How long an isolate remembers a poster (MEMORY_TTL_MS in src/store/poster-cache.ts). */
const POSTER_MEMORY_MS = 10_000;
/** `f(0)` … `f(n - 1)`, one after another: a Worker under valgrind drops connections it is sent at once. */
const times = async (n, f) => {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await f(i));
  return out;
};
const get = (url, ua = PHONE) => [url, { headers: { "user-agent": ua } }];
const forged = (url) => {
  const last = url.at(-1);
  return url.slice(0, -1) + BASE32[(BASE32.indexOf(last) + 1) % BASE32.length];
};
let serial = 0;
const nextAddress = () => `198.51.${(serial >> 8) & 255}.${++serial & 255}`;
/** A request from an address of its own, under the keyless endpoints' per-address limits. */
const fromNextAddress = () => ({ "cf-connecting-ip": nextAddress() });

/** The measured paths, in the order of the table. */
export const PATHS = [
  {
    name: "/healthz",
    prepare: async (_s, n) => Array(n).fill(0),
    request: () => ["/healthz"],
    status: 200,
  },
  {
    name: "poster scan, hot (in isolate)",
    async prepare(s, n) {
      await s.warmHot();
      return Array(n).fill(s.hot.url);
    },
    request: (url) => get(url),
    status: 200,
  },
  {
    name: "poster scan, warm (in KV)",
    async prepare(s, n) {
      const urls = await times(n, async () => (await s.poster()).url);
      for (const url of urls) await s.scan(url);
      await s.warmHot(); // forgets every poster the isolate holds: the others are in KV only
      return urls;
    },
    request: (url) => get(url),
    status: 200,
  },
  {
    name: "poster scan, cold (D1 only)",
    prepare: (s, n) => times(n, async () => (await s.poster()).url),
    request: (url) => get(url),
    status: 200,
  },
  {
    name: "poster scan, bot (hot)",
    async prepare(s, n) {
      await s.warmHot();
      return Array(n).fill(s.hot.url);
    },
    request: (url) => get(url, BOT),
    status: 200,
  },
  {
    name: "poster scan, forged code",
    prepare: async (s, n) => Array(n).fill(forged(s.hot.url)),
    // Each from its own address: an address gets 30 forged codes a minute, then 429.
    request: (url) => [url, { headers: { "user-agent": PHONE, ...fromNextAddress() } }],
    status: 404,
  },
  {
    name: "handoff create (secret key cached)",
    async prepare(s, n) {
      await s.cacheKeys();
      return Array(n).fill(s.secret);
    },
    request: (key) => [
      "/v1/handoffs",
      { key, json: { path: "/cart", payload: { cart: 42 }, ttl: HANDOFF_TTL } },
    ],
    status: 201,
  },
  {
    name: "handoff create (key not cached)",
    // A key of its own for each request: none is in the isolate's cache yet.
    prepare: (s, n) => times(n, () => s.mintSecret()),
    request: (key) => [
      "/v1/handoffs",
      { key, json: { path: "/cart", payload: { cart: 42 }, ttl: HANDOFF_TTL } },
    ],
    status: 201,
  },
  {
    name: "handoff create (publishable key)",
    async prepare(s, n) {
      await s.cacheKeys();
      // Each from its own address: the limiter allows 60 a minute per key and address.
      return Array.from({ length: n }, () => ({ key: s.publishable, ip: nextAddress() }));
    },
    request: ({ key, ip }) => [
      "/v1/handoffs",
      {
        key,
        headers: { origin: SHOP, "cf-connecting-ip": ip },
        json: { path: "/cart", ttl: HANDOFF_TTL },
      },
    ],
    status: 201,
  },
  {
    name: "handoff scan GET /h/:token",
    prepare: (s, n) => times(n, async () => (await s.handoff()).url),
    request: (url) => get(url),
    status: 200,
  },
  {
    name: "handoff redeem POST /v1/resolve",
    async prepare(s, n) {
      const urls = await times(n, async () => (await s.handoff()).url);
      for (const url of urls) await s.scan(url);
      return urls;
    },
    request: (url) => [
      "/v1/resolve",
      { json: { url }, headers: { "user-agent": PHONE, ...fromNextAddress() } },
    ],
    status: 200,
  },
  {
    name: "poster resolve POST /v1/resolve",
    async prepare(s, n) {
      await s.warmHot();
      return Array(n).fill(s.hot.url);
    },
    request: (url) => [
      "/v1/resolve",
      { json: { url }, headers: { "user-agent": PHONE, ...fromNextAddress() } },
    ],
    status: 200,
  },
  {
    name: "QR login create (publishable key)",
    async prepare(s, n) {
      await s.cacheKeys();
      const challenge = createHash("sha256").update("bench-verifier").digest("base64url");
      return Array.from({ length: n }, () => ({
        challenge,
        key: s.publishable,
        ip: nextAddress(),
      }));
    },
    request: ({ challenge, key, ip }) => [
      "/v1/logins",
      {
        key,
        headers: { origin: SHOP, "cf-connecting-ip": ip },
        json: { code_challenge: challenge, ttl: LOGIN_TTL },
      },
    ],
    status: 201,
  },
  {
    name: "QR login scan POST /v1/logins/scan",
    prepare: (s, n) => times(n, () => s.login()),
    request: (l) => [
      "/v1/logins/scan",
      { json: { url: l.url }, headers: { "cf-connecting-ip": nextAddress() } },
    ],
    status: 200,
  },
  {
    name: "QR login approve (secret key cached)",
    async prepare(s, n) {
      const logins = await times(n, () => s.scannedLogin());
      await s.cacheKeys();
      return logins.map((l) => ({ ...l, key: s.secret }));
    },
    request: (l) => [
      `/v1/logins/${l.id}/approve`,
      { key: l.key, json: { scan: l.scan, subject: "bench-user" } },
    ],
    status: 200,
  },
  {
    name: "QR login exchange (secret key cached)",
    async prepare(s, n) {
      const logins = await times(n, () => s.approvedLogin());
      await s.cacheKeys();
      return logins.map((l) => ({ ...l, key: s.secret }));
    },
    request: (l) => [
      "/v1/logins/exchange",
      {
        key: l.key,
        json: { ticket: l.ticket, code_verifier: l.verifier },
        headers: { "cf-connecting-ip": nextAddress() },
      },
    ],
    status: 200,
  },
  {
    name: "conversion POST /v1/events",
    async prepare(s, n, w) {
      await s.warmHot();
      const res = await ok(w.send("/v1/resolve", { json: { url: s.hot.url } }), 200, "resolve");
      const session = res.json().attribution.session;
      return Array.from({ length: n }, () => ({ session, key: `order-${++serial}` }));
    },
    request: ({ session, key }) => [
      "/v1/events",
      {
        json: { session, type: "converted", value: 12.5, currency: "EUR", idempotency_key: key },
        headers: fromNextAddress(),
      },
    ],
    status: 202,
  },
];
