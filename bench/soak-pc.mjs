// The PC's stories of the soak (bench/soak.mjs): a PC page hands its cart to a phone (a
// handoff, some confirmed on the PC), and a PC signs in with the QR a logged-in app scans (a QR
// login). Each writes in the ledger the hops its answers prove.
import { createHash, randomBytes } from "node:crypto";
import { soakKit } from "./soak-kit.mjs";
import { appHeaders, browserHeaders } from "./soak-people.mjs";

/**
 * The handoff and login scenarios of a world `{ url, key, people, posters, ledger, rnd }`.
 *
 * @example
 * await pcScenarios(world).handoff();
 */
export function pcScenarios(w) {
  const { ledger, rnd } = w;
  const { call, server, expectStatus, repeated, person, anyone, pathOf } = soakKit(w);
  return {
    /**
     * A PC hands its cart to a phone: created, scanned (on its page, or straight into the app),
     * redeemed with a claim (replayed, stolen), events; some confirmed on the PC first, some
     * cancelled.
     */
    async handoff() {
      const confirm = rnd.chance(0.2) ? "pc" : "none";
      const body = { path: "/cart/42", payload: { cart: 42 }, ttl: 900, confirm };
      const created = await server("POST", "/v1/handoffs", body);
      if (!expectStatus(created, 201, "handoff create")) return;
      const h = created.json;
      const facts = { kind: "handoff" };
      ledger.hop({ ...facts, hop: "created" });
      // The PC page shows the QR (a reload shows it again): `rendered` when the image was drawn,
      // not when the edge cache answered it.
      for (let i = rnd.chance(0.2) ? 2 : 1; i > 0; i--) {
        const qr = await call("GET", pathOf(h.qr.svg), { accept: "image/svg+xml" });
        if (!expectStatus(qr, 200, "handoff QR")) return;
        if (qr.headers.get("x-qr-cache") === "miss") ledger.hop({ ...facts, hop: "rendered" });
      }
      const who = person();
      const story = rnd.random();
      if (story < 0.1) {
        const r = await server("DELETE", `/v1/handoffs/${h.id}`);
        if (expectStatus(r, 200, "handoff cancel")) ledger.hop({ ...facts, hop: "cancelled" });
        return;
      }
      const viaPage = story < 0.7;
      const via = viaPage ? "page" : "direct";
      let scan = { platform: who.platform, in_app: null };
      if (viaPage) {
        scan = { platform: who.platform, in_app: who.in_app };
        const r = await call("GET", pathOf(h.url), browserHeaders(who));
        if (!expectStatus(r, 200, "handoff scan")) return;
        ledger.hop({ ...facts, ...scan, hop: "scanned", ip: who.ip, via: "page" });
        ledger.hop({ ...facts, ...scan, hop: "landing" });
        if (rnd.chance(0.2)) {
          // A reload of the page: no second scan, no second landing.
          if (!expectStatus(await call("GET", pathOf(h.url), browserHeaders(who)), 200, "reload"))
            return;
        }
      }
      const claim = randomBytes(16).toString("base64url");
      const resolve = (person) =>
        call("POST", "/v1/resolve", appHeaders(person), { url: h.url, claim });
      let r = await resolve(who);
      const directScan = () =>
        ledger.hop({ ...facts, ...scan, hop: "scanned", ip: who.ip, via: "app" });
      if (confirm === "pc") {
        // The app asks, the PC page confirms (or refuses) the phone, the app asks again.
        if (!expectStatus(r, 202, "handoff awaiting confirmation")) return;
        if (!viaPage) directScan();
        const decision = rnd.chance(0.2) ? "deny" : "approve";
        const d = await call(
          "POST",
          `/v1/handoffs/${h.id}/${decision}`,
          {
            "content-type": "application/json",
          },
          { watch: h.watch },
        );
        if (!expectStatus(d, 200, `handoff ${decision}`)) return;
        ledger.hop({ ...facts, hop: decision === "deny" ? "denied" : "approved" });
        r = await resolve(who);
        if (decision === "deny") return void expectStatus(r, 403, "handoff denied resolve");
      } else if (!viaPage && r.status === 200) directScan();
      if (!expectStatus(r, 200, "handoff redeem")) return;
      ledger.hop({ ...facts, ...scan, hop: "redeemed", via });
      if (rnd.chance(0.3)) {
        // The app lost the answer and asks again with its claim: the same 200, no second count.
        expectStatus(await resolve(who), 200, "handoff replay with claim");
      }
      if (rnd.chance(0.2)) {
        // Someone else who saw the QR: 409, nothing counted.
        const thief = await call("POST", "/v1/resolve", appHeaders(anyone()), { url: h.url });
        expectStatus(thief, 409, "handoff second redeem");
      }
      const session = r.json.session;
      for (const type of ["app_open", "converted"]) {
        if (!rnd.chance(type === "app_open" ? 0.5 : 0.35)) continue;
        const times = rnd.chance(0.25) ? 2 : 1;
        const send = () => call("POST", "/v1/events", appHeaders(who), { session, type });
        if (!(await repeated(times, send, 202, `handoff ${type}`))) return;
        // A handoff's app_open takes the way its redemption came (docs/stats.md).
        ledger.hop({ ...facts, ...scan, hop: type, via: type === "app_open" ? via : null });
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
      ledger.hop({ ...facts, hop: "scanned", platform: who.platform, ip: who.ip, via: "app" });
      if (rnd.chance(0.1)) {
        // A second phone scans the same QR: refused, the PC warned; its attempt is `rejected`.
        const other = anyone();
        const again = await call("POST", "/v1/logins/scan", appHeaders(other), { url: login.url });
        if (expectStatus(again, 409, "login second scan"))
          ledger.hop({ ...facts, hop: "rejected", platform: other.platform });
      }
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

    /**
     * Walked away from: a handoff QR nobody scans (15 s), a login QR nobody scans (30 s), a
     * login scanned but never approved (its 120 s to approve). Each ends in one `expired` hop,
     * recorded by the object's alarm with no request behind it: at its time, up to a minute late
     * on a busy machine (`late`, ms after now, for the day it counts on).
     */
    async abandoned() {
      const which = rnd.random();
      if (which < 0.4) {
        const created = await server("POST", "/v1/handoffs", { path: "/cart/7", ttl: 15 });
        if (!expectStatus(created, 201, "abandoned handoff")) return;
        ledger.hop({ kind: "handoff", hop: "created" });
        ledger.hop({ kind: "handoff", hop: "expired", late: 75_000 });
        return;
      }
      const challenge = createHash("sha256").update(randomBytes(32)).digest("base64url");
      const ttl = which < 0.8 ? 30 : 300;
      const created = await server("POST", "/v1/logins", { code_challenge: challenge, ttl });
      if (!expectStatus(created, 201, "abandoned login")) return;
      ledger.hop({ kind: "login", hop: "created" });
      if (which >= 0.8) {
        const who = person();
        const body = { url: created.json.url };
        const s = await call("POST", "/v1/logins/scan", appHeaders(who), body);
        if (!expectStatus(s, 200, "abandoned login scan")) return;
        ledger.hop({
          kind: "login",
          hop: "scanned",
          platform: who.platform,
          ip: who.ip,
          via: "app",
        });
      }
      ledger.hop({ kind: "login", hop: "expired", late: (ttl + 60) * 1000 });
    },
  };
}
