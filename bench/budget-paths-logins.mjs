// The QR login paths of the budget bench (bench/budget-paths.mjs lists them in the table's order):
// the PC's create, the app's scan (first, retried with its claim, and another phone's refused
// second), the backend's approve and the PC backend's exchange.
import { createHash } from "node:crypto";
import { LOGIN_TTL, nextAddress, SHOP, times } from "./budget-seed.mjs";

export const LOGIN_PATHS = [
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
    // The first scan's answer lost: the same app asks again with its claim (a fresh handle).
    name: "QR login scan retry with its claim",
    async prepare(s, n) {
      return times(n, async () => {
        const l = await s.login();
        const claim = `bench-claim-${crypto.randomUUID()}`;
        const headers = { "cf-connecting-ip": nextAddress() };
        await s.post("/v1/logins/scan", { url: l.url, claim }, { headers, status: 200 });
        return { ...l, claim };
      });
    },
    request: (l) => [
      "/v1/logins/scan",
      { json: { url: l.url, claim: l.claim }, headers: { "cf-connecting-ip": nextAddress() } },
    ],
    status: 200,
  },
  {
    // Another phone after the first scan: refused, the PC warned (the cost a retry paid before).
    name: "QR login second scan (409 already_scanned)",
    prepare: (s, n) => times(n, () => s.scannedLogin()),
    request: (l) => [
      "/v1/logins/scan",
      { json: { url: l.url }, headers: { "cf-connecting-ip": nextAddress() } },
    ],
    status: 409,
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
];
