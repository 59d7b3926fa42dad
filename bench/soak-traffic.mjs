// The soak's traffic script (bench/soak.mjs): one scenario at a time per concurrent lane, each
// a short story — a person scans a poster and opens the app, a bot previews it, a PC hands a
// cart to a phone, a PC signs in with a QR, a forger tries a code — that writes in the ledger
// (bench/soak-ledger.mjs) the hops its answers prove, and notes any answer it did not expect.
import { createHash, randomBytes } from "node:crypto";
import { fetchRetrying } from "./fetch-retrying.mjs";
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
  const { ledger, rnd } = w;
  const call = async (method, path, headers, body) => {
    ledger.requests++;
    const res = await fetchRetrying(`${w.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
    });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, text, json };
  };
  const server = (method, path, body) =>
    call(
      method,
      path,
      { authorization: `Bearer ${w.key}`, "content-type": "application/json" },
      body,
    );
  const expectStatus = (r, want, what) => {
    if (r.status === want) return true;
    ledger.surprise(`${what}: ${r.status} ${r.text.slice(0, 160)}`);
    return false;
  };
  const person = () => w.people[rnd.skewed(w.people.length)];
  const poster = () => w.posters[rnd.skewed(w.posters.length)];
  const pathOf = (link) => new URL(link).pathname;
  const posterFacts = (p) => ({
    kind: "poster",
    poster_id: p.id,
    store_id: p.store_id,
    campaign_id: p.campaign_id,
  });

  /**
   * The app resolves a poster link. The landing page's link (with its session) may be sent
   * twice, as a retrying app would: one app_open per session. A bare link is a scan of its own
   * each time it is resolved (docs/stats.md: each scan starts a session), so it goes once.
   */
  async function appResolvesPoster(who, p, link, via, scanDevice) {
    const times = via === "page" && rnd.chance(0.2) ? 2 : 1;
    let answer = null;
    for (let i = 0; i < times; i++) {
      const r = await call("POST", "/v1/resolve", appHeaders(who), { url: link });
      if (!expectStatus(r, 200, "poster resolve")) return null;
      answer = r.json;
    }
    const facts = { ...posterFacts(p), ...scanDevice };
    if (via === "direct") ledger.hop({ ...facts, hop: "scanned", ip: who.ip });
    ledger.hop({ ...facts, hop: "app_open", via });
    return answer.attribution.session;
  }

  /** The app (once or twice) and sometimes the shop's server (per order) report conversions. */
  async function conversions(who, p, session, scanDevice) {
    const facts = { ...posterFacts(p), ...scanDevice };
    if (rnd.chance(0.4)) {
      const times = rnd.chance(0.25) ? 2 : 1;
      for (let i = 0; i < times; i++) {
        const r = await call("POST", "/v1/events", appHeaders(who), {
          session,
          type: "converted",
          value: 12.5,
          idempotency_key: `app-${i}`, // ignored without a key: once per session
        });
        if (!expectStatus(r, 202, "app converted")) return;
      }
      ledger.hop({ ...facts, hop: "converted" });
    }
    if (rnd.chance(0.15)) {
      const orders = 1 + Math.floor(rnd.random() * 2);
      for (let o = 0; o < orders; o++) {
        const key = `order-${randomBytes(6).toString("hex")}`;
        const times = rnd.chance(0.3) ? 2 : 1; // a server retrying the same order
        for (let i = 0; i < times; i++) {
          const body = { session, type: "converted", value: 30, idempotency_key: key };
          if (!expectStatus(await server("POST", "/v1/events", body), 202, "server converted"))
            return;
        }
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
      ledger.hop({ ...posterFacts(p), ...scan, hop: "scanned", ip: who.ip });
      ledger.hop({ ...posterFacts(p), ...scan, hop: "landing" });
      const token = r.text.match(SESSION_IN_PAGE)?.[1];
      if (!token) return ledger.surprise("poster scan: no session in the landing page");
      const link = `${p.url}?s=${token}`;
      // The app was missing: the app link opened in the browser again — the same visit.
      if (rnd.chance(0.15)) {
        const again = await call("GET", `${pathOf(p.url)}?s=${token}`, browserHeaders(who));
        if (!expectStatus(again, 200, "poster return visit")) return;
      }
      if (!rnd.chance(0.6)) return;
      const session = await appResolvesPoster(who, p, link, "page", scan);
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
      const session = await appResolvesPoster(who, p, p.url, "direct", scan);
      if (session) await conversions(who, p, session, scan);
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

    /** A PC hands its cart to a phone: created, scanned, redeemed (with a claim), events. */
    async handoff() {
      const created = await server("POST", "/v1/handoffs", {
        path: "/cart/42",
        payload: { cart: 42 },
        ttl: 900,
      });
      if (!expectStatus(created, 201, "handoff create")) return;
      const h = created.json;
      const facts = { kind: "handoff" };
      ledger.hop({ ...facts, hop: "created" });
      const who = person();
      const story = rnd.random();
      if (story < 0.1) {
        const r = await server("DELETE", `/v1/handoffs/${h.id}`);
        if (expectStatus(r, 200, "handoff cancel")) ledger.hop({ ...facts, hop: "cancelled" });
        return;
      }
      const viaPage = story < 0.7;
      let scan = { platform: who.platform, in_app: null };
      if (viaPage) {
        scan = { platform: who.platform, in_app: who.in_app };
        const r = await call("GET", pathOf(h.url), browserHeaders(who));
        if (!expectStatus(r, 200, "handoff scan")) return;
        ledger.hop({ ...facts, ...scan, hop: "scanned", ip: who.ip });
        ledger.hop({ ...facts, ...scan, hop: "landing" });
        if (rnd.chance(0.2)) {
          // A reload of the page: no second scan, no second landing.
          if (!expectStatus(await call("GET", pathOf(h.url), browserHeaders(who)), 200, "reload"))
            return;
        }
      }
      const claim = randomBytes(16).toString("base64url");
      const r = await call("POST", "/v1/resolve", appHeaders(who), { url: h.url, claim });
      if (!expectStatus(r, 200, "handoff redeem")) return;
      if (!viaPage) ledger.hop({ ...facts, ...scan, hop: "scanned", ip: who.ip });
      ledger.hop({ ...facts, ...scan, hop: "redeemed" });
      if (rnd.chance(0.3)) {
        // The app lost the answer and asks again with its claim: the same 200, no second count.
        const again = await call("POST", "/v1/resolve", appHeaders(who), { url: h.url, claim });
        expectStatus(again, 200, "handoff replay with claim");
      }
      if (rnd.chance(0.2)) {
        // Someone else who saw the QR: 409, nothing counted.
        const other = w.people[Math.floor(rnd.random() * w.people.length)];
        const thief = await call("POST", "/v1/resolve", appHeaders(other), { url: h.url });
        expectStatus(thief, 409, "handoff second redeem");
      }
      const session = r.json.session;
      for (const type of ["app_open", "converted"]) {
        if (!rnd.chance(type === "app_open" ? 0.5 : 0.35)) continue;
        const times = rnd.chance(0.25) ? 2 : 1;
        for (let i = 0; i < times; i++) {
          const e = await call("POST", "/v1/events", appHeaders(who), { session, type });
          if (!expectStatus(e, 202, `handoff ${type}`)) return;
        }
        // A handoff's app_open takes the way its redemption came (docs/stats.md).
        const via = type === "app_open" ? (viaPage ? "page" : "direct") : null;
        ledger.hop({ ...facts, ...scan, hop: type, via });
      }
    },

    /** A PC signs in with a QR: created, scanned by the app, approved and exchanged (or denied). */
    async login() {
      const verifier = randomBytes(32).toString("base64url");
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      const created = await server("POST", "/v1/logins", { code_challenge: challenge, ttl: 300 });
      if (!expectStatus(created, 201, "login create")) return;
      const login = created.json;
      const facts = { kind: "login" };
      ledger.hop({ ...facts, hop: "created" });
      const who = person();
      const s = await call("POST", "/v1/logins/scan", appHeaders(who), { url: login.url });
      if (!expectStatus(s, 200, "login scan")) return;
      ledger.hop({ ...facts, hop: "scanned", platform: who.platform, ip: who.ip });
      if (rnd.chance(0.2)) {
        const d = await server("POST", `/v1/logins/${login.id}/deny`, { scan: s.json.scan });
        if (expectStatus(d, 200, "login deny")) ledger.hop({ ...facts, hop: "denied" });
        return;
      }
      const body = { scan: s.json.scan, subject: `user-${who.ip}` };
      const a = await server("POST", `/v1/logins/${login.id}/approve`, body);
      if (!expectStatus(a, 200, "login approve")) return;
      ledger.hop({ ...facts, hop: "approved" });
      const view = await server("GET", `/v1/logins/${login.id}`);
      if (!expectStatus(view, 200, "login read") || !view.json.ticket)
        return ledger.surprise("login read: no ticket");
      const ex = { ticket: view.json.ticket, code_verifier: verifier };
      if (!expectStatus(await server("POST", "/v1/logins/exchange", ex), 200, "login exchange"))
        return;
      ledger.hop({ ...facts, hop: "exchanged" });
      const replay = await server("POST", "/v1/logins/exchange", ex); // a replayed ticket
      expectStatus(replay, 409, "login exchange replay");
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
