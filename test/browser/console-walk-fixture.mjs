// The week the console walk tests share: a marketer's key, a store with a store number, two
// more stores, a campaign of 14 posters, and two phones that scanned, opened the app and
// ordered (the funnel has counted them before `setUp` returns).
import assert from "node:assert/strict";
import { fetchRetrying } from "../../bench/lib.mjs";
import { USER_AGENTS } from "./lib.mjs";

const APP_UA = "Bakery/1 CFNetwork/1494.0.7 Darwin/23.4.0";

/**
 * The walk's data and the calls that make it; fields are filled by `setUp()`.
 * @param {() => { url: string, mintKey: (body: object) => Promise<string> }} ctx
 */
export function walkFixture(ctx) {
  const w = {
    // Names of their own, so a second run against the same Worker starts from nothing.
    run: Date.now().toString(36),
    key: "",
    store: null,
    posters: [],
    campaign: "",
    /** A /v1 call with the marketer's key; fails the test on anything but a 2xx. */
    async v1(method, path, body) {
      const res = await fetchRetrying(`${ctx().url}${path}`, {
        method,
        headers: { authorization: `Bearer ${w.key}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      assert.ok(res.status < 300, `${method} ${path}: ${res.status}`);
      return res.json();
    },
    async setUp() {
      w.key = await ctx().mintKey({
        name: "marketing",
        kind: "secret",
        scopes: ["stats:read", "posters:write", "webhooks:write"],
      });
      w.store = await w.v1("POST", "/v1/stores", { name: `Opéra ${w.run}`, ref: `B-${w.run}` });
      for (const n of [10, 9]) await w.v1("POST", "/v1/stores", { name: `Shop ${n} ${w.run}` });
      const batch = await w.v1("POST", "/v1/posters/batch", {
        posters: Array.from({ length: 14 }, (_, i) => ({
          name: `Vitrine ${i + 1}`,
          path: "/menu/galette",
          store_id: w.store.id,
          campaign: `Galette ${w.run}`,
        })),
      });
      w.posters = batch.posters;
      w.campaign = w.posters[0].campaign_id;
      await scanOpenConvert(ctx().url, w.posters[0], "198.51.100.71");
      await scanOpenConvert(ctx().url, w.posters[1], "198.51.100.72");
      // Hops reach the rollups through the queue: wait until the funnel counts both orders.
      const deadline = Date.now() + 15_000;
      for (;;) {
        const f = await w.v1("GET", `/v1/stats/funnel?campaign_id=${w.campaign}`);
        if ((f.totals?.converted ?? 0) >= 2) break;
        assert.ok(Date.now() < deadline, `the funnel never counted: ${JSON.stringify(f.totals)}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    },
  };

  return w;
}

/**
 * A phone scans poster `p` (its own IP), opens the app and orders for `order` (€12.50 unless
 * told): one whole funnel.
 * @example await scanOpenConvert(url, poster, "198.51.100.71", { value: 1200, currency: "JPY" });
 */
export async function scanOpenConvert(url, p, ip, order = { value: 12.5, currency: "EUR" }) {
  const page = await fetchRetrying(`${url}/P/${p.code}`, {
    headers: { "user-agent": USER_AGENTS.iphone, "cf-connecting-ip": ip },
  });
  const html = await page.text();
  const link = /href="(HTTP:\/\/[^"]+\/P\/[^"]*\?s=[^"]+)"/.exec(html)?.[1];
  assert.ok(link, "the landing page links the app with a session");
  const post = (path, body) =>
    fetchRetrying(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": APP_UA },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  const resolved = await post("/v1/resolve", { url: link.replaceAll("&amp;", "&") });
  const session = resolved.attribution.session;
  await post("/v1/events", { session, type: "converted", ...order });
}
