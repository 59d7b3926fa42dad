// The soak's traffic script (bench/soak.mjs): one scenario at a time per concurrent lane, each
// a short story — a person scans a poster and opens the app, a bot previews it, a PC hands a
// cart to a phone, a PC signs in with a QR, a forger tries a code — that writes in the ledger
// (bench/soak-ledger.mjs) the hops its answers prove, and notes any answer it did not expect.
import { randomBytes } from "node:crypto";
import { soakKit } from "./soak-kit.mjs";
import { pcScenarios } from "./soak-pc.mjs";
import { appHeaders, BOT_UAS, browserHeaders } from "./soak-people.mjs";

/** The signed session a person's landing page hands to the app (`s=` of its app links). */
const SESSION_IN_PAGE = /[?&]s=([0-9A-Za-z]{20,})/;

/**
 * The scenarios, bound to a world: `{ url, key, people, posters, ledger, rnd }`.
 *
 * @example
 * const play = scenarios(world);
 * await play.posterVisit();
 */
export function scenarios(w) {
  return { ...posterScenarios(w), ...pcScenarios(w) };
}

/** A poster's stories: people, their apps and the shop's server, bots, forgers. */
function posterScenarios(w) {
  const { ledger, rnd } = w;
  const { call, server, expectStatus, repeated, person, poster, pathOf, posterFacts } = soakKit(w);

  /**
   * The app resolves a poster visit: the landing page's link with its session (`page`), may be
   * sent twice as a retrying app would, one app_open per session; the Play install referrer
   * carrying that session (`install_referrer`, Android); or the bare link (`direct`), a scan of
   * its own each time it is resolved (docs/stats.md: each scan starts a session), so once.
   */
  async function appResolvesPoster(who, p, via, scanDevice, token = null) {
    const times = via === "page" && rnd.chance(0.2) ? 2 : 1;
    const body =
      via === "install_referrer"
        ? { referrer: `utm_source=qr&qb_ref=S${token}` }
        : { url: token ? `${p.url}?s=${token}` : p.url };
    const send = () => call("POST", "/v1/resolve", appHeaders(who), body);
    const answer = (await repeated(times, send, 200, `poster resolve (${via})`))?.json;
    if (!answer) return null;
    const facts = { ...posterFacts(p), ...scanDevice };
    if (via === "direct") ledger.hop({ ...facts, hop: "scanned", ip: who.ip, via: "app" });
    ledger.hop({ ...facts, hop: "app_open", via });
    return answer.attribution.session;
  }

  /** The app (once or twice) and sometimes the shop's server (per order) report conversions. */
  async function conversions(who, p, session, scanDevice) {
    const facts = { ...posterFacts(p), ...scanDevice };
    if (rnd.chance(0.4)) {
      let i = 0;
      const send = () =>
        call("POST", "/v1/events", appHeaders(who), {
          session,
          type: "converted",
          value: 12.5,
          idempotency_key: `app-${i++}`, // ignored without a key: once per session
        });
      const times = rnd.chance(0.25) ? 2 : 1;
      if (!(await repeated(times, send, 202, "app converted"))) return;
      ledger.hop({ ...facts, hop: "converted" });
    }
    if (rnd.chance(0.15)) {
      const orders = 1 + Math.floor(rnd.random() * 2);
      for (let o = 0; o < orders; o++) {
        const key = `order-${randomBytes(6).toString("hex")}`;
        const times = rnd.chance(0.3) ? 2 : 1; // a server retrying the same order
        const body = { session, type: "converted", value: 30, idempotency_key: key };
        const send = () => server("POST", "/v1/events", body);
        if (!(await repeated(times, send, 202, "server converted"))) return;
        ledger.hop({ ...facts, hop: "converted" });
      }
    }
  }

  return {
    /** A person scans a poster: landing page, maybe back through its own link, maybe the app. */
    async posterVisit() {
      const who = person();
      const p = poster();
      const scan = { platform: who.platform, in_app: who.in_app };
      const r = await call("GET", pathOf(p.url), browserHeaders(who));
      if (!expectStatus(r, 200, "poster scan")) return;
      ledger.hop({ ...posterFacts(p), ...scan, hop: "scanned", ip: who.ip, via: "page" });
      ledger.hop({ ...posterFacts(p), ...scan, hop: "landing" });
      const token = r.text.match(SESSION_IN_PAGE)?.[1];
      if (!token) return ledger.surprise("poster scan: no session in the landing page");
      // The app was missing: the app link opened in the browser again — the same visit.
      if (rnd.chance(0.15)) {
        const again = await call("GET", `${pathOf(p.url)}?s=${token}`, browserHeaders(who));
        if (!expectStatus(again, 200, "poster return visit")) return;
      }
      if (!rnd.chance(0.6)) return;
      // On Android a few install the app first: it finds the visit in its install referrer.
      const via = who.platform === "android" && rnd.chance(0.25) ? "install_referrer" : "page";
      const session = await appResolvesPoster(who, p, via, scan, token);
      if (!session) return;
      if (rnd.chance(0.2)) {
        const body = { session, type: "app_open" }; // reported again: same session, once
        if (!expectStatus(await call("POST", "/v1/events", appHeaders(who), body), 202, "app_open"))
          return;
      }
      await conversions(who, p, session, scan);
    },

    /** The app is installed: the phone opens it straight from the poster's QR. */
    async posterDirect() {
      const who = person();
      const p = poster();
      const scan = { platform: who.platform, in_app: null };
      const session = await appResolvesPoster(who, p, "direct", scan);
      if (session) await conversions(who, p, session, scan);
    },

    /**
     * A seasonal poster paused and resumed in the middle of its scans: a scan answered with the
     * landing page counts, one answered 410 is `rejected`, whatever the order they raced in.
     */
    async posterSeasonal() {
      const p = rnd.pick(w.seasonal);
      if (rnd.chance(0.2)) {
        const status = rnd.chance(0.5) ? "paused" : "active";
        expectStatus(await server("PATCH", `/v1/posters/${p.id}`, { status }), 200, "pause");
        return;
      }
      const who = person();
      const scan = { platform: who.platform, in_app: who.in_app };
      const r = await call("GET", pathOf(p.url), browserHeaders(who));
      if (r.status === 410) return ledger.hop({ ...posterFacts(p), ...scan, hop: "rejected" });
      if (!expectStatus(r, 200, "seasonal scan")) return;
      ledger.hop({ ...posterFacts(p), ...scan, hop: "scanned", ip: who.ip, via: "page" });
      ledger.hop({ ...posterFacts(p), ...scan, hop: "landing" });
      const token = r.text.match(SESSION_IN_PAGE)?.[1];
      if (!token || !rnd.chance(0.6)) return;
      const body = { url: `${p.url}?s=${token}` };
      const a = await call("POST", "/v1/resolve", appHeaders(who), body);
      const app = { ...posterFacts(p), platform: who.platform };
      if (a.status === 410) return ledger.hop({ ...app, hop: "rejected" });
      if (expectStatus(a, 200, "seasonal resolve"))
        ledger.hop({ ...posterFacts(p), ...scan, hop: "app_open", via: "page" });
    },

    /** A link previewer, a crawler, or a phone's prefetch: answered, never counted. */
    async posterBot() {
      const p = poster();
      const ip = `203.0.113.${1 + Math.floor(rnd.random() * 40)}`;
      const ua = rnd.pick(BOT_UAS);
      const kindOf = rnd.random();
      if (kindOf < 0.5) {
        const r = await call("GET", pathOf(p.url), { "user-agent": ua, "cf-connecting-ip": ip });
        if (expectStatus(r, 200, "bot scan"))
          ledger.hop({ ...posterFacts(p), hop: "previewed", bot: 1, platform: "other" });
      } else if (kindOf < 0.75) {
        const who = person();
        const headers = { ...browserHeaders(who), "sec-purpose": "prefetch" };
        const r = await call("GET", pathOf(p.url), headers);
        if (expectStatus(r, 200, "prefetch"))
          ledger.hop({
            ...posterFacts(p),
            hop: "previewed",
            bot: 1,
            platform: who.platform,
            in_app: who.in_app,
          });
      } else {
        const headers = {
          "user-agent": ua,
          "cf-connecting-ip": ip,
          "content-type": "application/json",
        };
        const r = await call("POST", "/v1/resolve", headers, { url: p.url });
        if (expectStatus(r, 200, "bot resolve"))
          ledger.hop({ ...posterFacts(p), hop: "previewed", bot: 1, platform: "other" });
      }
    },

    /** A forger: made-up poster codes, handoff tokens and login links, a forged session. */
    async forged() {
      const ip = `192.0.2.${1 + Math.floor(rnd.random() * 60)}`;
      const junk = randomBytes(10).toString("hex").toUpperCase();
      const phone = { ...browserHeaders(w.people[0]), "cf-connecting-ip": ip };
      const json = { ...appHeaders(w.people[0]), "cf-connecting-ip": ip };
      const which = rnd.random();
      // Past a client's failure budget the Worker answers 429 and records nothing.
      const rejected = (r, want, hop) => {
        if (r.status === 429) return;
        if (expectStatus(r, want, "forged")) ledger.hop({ ...hop, hop: "rejected" });
      };
      if (which < 0.4) {
        const r = await call("GET", `/p/${junk}`, phone);
        rejected(r, 404, {
          kind: "poster",
          platform: w.people[0].platform,
          in_app: w.people[0].in_app,
        });
      } else if (which < 0.7) {
        const r = await call("POST", "/v1/resolve", json, { url: `${w.url}/h/${junk}${junk}` });
        rejected(r, 400, { kind: "handoff" });
      } else if (which < 0.85) {
        const r = await call("POST", "/v1/logins/scan", json, { url: `${w.url}/l/${junk}${junk}` });
        rejected(r, 400, { kind: "login" });
      } else {
        const r = await call("POST", "/v1/events", json, {
          session: `${junk}${junk}`,
          type: "converted",
        });
        if (r.status !== 429) expectStatus(r, 400, "forged session");
      }
    },
  };
}
