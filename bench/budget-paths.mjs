// The paths the budget bench measures, each with the state it needs made beforehand (unmeasured):
// `prepare(n)` returns n request inputs and leaves the Worker as the path expects it (a poster
// in the isolate's memory, in KV only, or in D1 only; an API key cached; a fresh or scanned
// handoff); `request(input)` is the measured request.
import { CACHE_PATHS } from "./budget-paths-caches.mjs";
import { CREATE_PATHS } from "./budget-paths-creates.mjs";
import { KEY_PATHS } from "./budget-paths-keys.mjs";
import { LOGIN_PATHS } from "./budget-paths-logins.mjs";
import { READ_PATHS } from "./budget-paths-reads.mjs";
import { WEBHOOK_PATHS } from "./budget-paths-webhooks.mjs";
import {
  fromNextAddress,
  HANDOFF_TTL,
  handoffCreate,
  nextAddress,
  ok,
  orderKey,
  PHONE,
  SHOP,
  times,
} from "./budget-seed.mjs";

const BOT = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";
const BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const get = (url, ua = PHONE) => [url, { headers: { "user-agent": ua } }];
/** The same URL with its last character changed: a code whose MAC cannot match. */
const forged = (url) => {
  const last = url.at(-1);
  return url.slice(0, -1) + BASE32[(BASE32.indexOf(last) + 1) % BASE32.length];
};

/** A handoff create carrying `Idempotency-Key: idem`, as the two Idempotency-Key paths send it. */
const handoffCreateWithKey = ({ key, idem }) =>
  handoffCreate(key, { headers: { "idempotency-key": idem } });

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
    request: (key) => handoffCreate(key),
    status: 201,
  },
  {
    // Idempotency-Key (routes/idempotency.ts): the claim, then the sealed answer, in D1.
    name: "handoff create with Idempotency-Key (secret key cached)",
    async prepare(s, n) {
      await s.cacheKeys();
      return times(n, () => ({ key: s.secret, idem: `bench-${crypto.randomUUID()}` }));
    },
    request: handoffCreateWithKey,
    status: 201,
  },
  {
    // The retry of a create whose answer was lost: the stored answer, nothing created.
    name: "handoff create replayed by Idempotency-Key (secret key cached)",
    async prepare(s, n) {
      await s.cacheKeys();
      return times(n, async () => {
        const idem = `bench-${crypto.randomUUID()}`;
        const [path, { json, headers }] = handoffCreateWithKey({ key: s.secret, idem });
        await s.post(path, json, { key: s.secret, headers });
        return { key: s.secret, idem };
      });
    },
    request: handoffCreateWithKey,
    status: 201,
  },
  {
    name: "handoff create (key not cached)",
    // A key of its own for each request: none is in the isolate's cache yet, and none was used
    // (its first `last_used_at` is written: once per key and hour, store/key-use.ts noteKeyUse).
    prepare: (s, n) => times(n, () => s.mintSecret()),
    request: (key) => handoffCreate(key),
    status: 201,
  },
  {
    // As production meets an uncached key: in use, so its hourly `last_used_at` is not due.
    name: "handoff create (key not cached, used this hour)",
    async prepare(s, n, w) {
      const keys = await times(n, () => s.mintSecret());
      for (const key of keys) await s.post("/v1/handoffs", { ttl: HANDOFF_TTL }, { key });
      await w.send("/__bench/forget-keys");
      return keys;
    },
    request: (key) => handoffCreate(key),
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
    // The same page in a language from the lazily loaded scan-words kit (routes/scan-language.ts):
    // after the first request of an isolate it costs a catalog lookup, not an import.
    name: "handoff scan GET /h/:token in Japanese",
    prepare: (s, n) => times(n, async () => (await s.handoff()).url),
    request: (url) => [
      url,
      { headers: { "user-agent": PHONE, "accept-language": "ja-JP,ja;q=0.9" } },
    ],
    status: 200,
    // A kit that failed to load falls back to English with a 200: measure only Japanese pages.
    body: /<html lang="ja"/,
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
    // The app opened straight from the QR: this call records the scan too.
    name: "handoff redeem straight from the QR POST /v1/resolve",
    prepare: (s, n) => times(n, async () => (await s.handoff()).url),
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
  ...LOGIN_PATHS,
  ...READ_PATHS,
  {
    name: "conversion POST /v1/events",
    async prepare(s, n, w) {
      await s.warmHot();
      const res = await ok(w.send("/v1/resolve", { json: { url: s.hot.url } }), 200, "resolve");
      const session = res.json().attribution.session;
      return Array.from({ length: n }, () => ({ session, key: orderKey() }));
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
  ...CACHE_PATHS,
  ...CREATE_PATHS,
  ...KEY_PATHS,
  // Last: an endpoint subscribed to scans would change every later path's downstream figures.
  ...WEBHOOK_PATHS,
];
