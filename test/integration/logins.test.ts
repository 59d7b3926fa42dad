// QR login through the real Worker: create → scan → approve → exchange, what each party sees
// and what is stored. (How the parties are told: logins-notifications.test.ts; denial:
// logins-deny.test.ts; attacks: logins-attacks.test.ts; expiry: logins-expiry.test.ts.)
import { describe, expect, it, vi } from "vitest";
import { sha256Hex } from "../../src/core/hash";
import { eventually, hopsOf } from "./handoffs-helpers";
import { call, mintKey, mintSecretKey } from "./helpers";
import {
  approve,
  BERLIN,
  createLogin,
  errorOf,
  exchange,
  loginStatus,
  openLoginSocket,
  POTSDAM,
  scanned,
  storedLogin,
} from "./logins-helpers";

const ORIGIN = "https://shop.example";

async function publishableKey(): Promise<string> {
  return mintKey("publishable", ["logins:write"], [ORIGIN]);
}

/** The PC page creates a login from the shop's origin with its publishable key. */
function createFromPage(key: string, extra: Parameters<typeof createLogin>[1] = {}) {
  return createLogin(key, { headers: { origin: ORIGIN }, cf: BERLIN, ...extra });
}

describe("QR login: the full flow", () => {
  it("create → scan → approve → exchange, exactly once, with each party seeing what it needs", async () => {
    const [pk, backend] = await Promise.all([publishableKey(), mintSecretKey()]);
    // The clock stands still 400 ms into a second while the login is made (the route sets its
    // deadline, the object its creation time), however busy the machine.
    vi.useFakeTimers({ toFake: ["Date"], now: Math.floor(Date.now() / 1000) * 1000 + 400 });
    const login = await createFromPage(pk, { body: { metadata: { site: "Acme web" } } }).finally(
      () => vi.useRealTimers(),
    );
    expect(login.id).toMatch(/^[0-9A-Z]{20}$/);
    expect(login.url).toMatch(new RegExp(`^HTTPS://QR\\.TEST/L/${login.id}[0-9A-Z]{22}$`));
    const token = login.url.slice("HTTPS://QR.TEST/L/".length);
    expect(login.qr.svg).toBe(`https://qr.test/qr/l/${token}.svg`);
    expect(login.events_url).toBe(
      `wss://qr.test/v1/logins/${login.id}/events?watch=${login.watch}`,
    );
    expect(login.status).toBe("pending");
    const created = await storedLogin(login.id);
    expect(created?.expires_at).toBe(login.expires_at);
    // The token's expiry is in whole seconds: 60 s from the second the login was created in.
    expect(created!.expires_at - created!.created_at).toBe(59_600);

    const socket = await openLoginSocket(login);
    await eventually(() => socket.messages.length > 0, "the first message");
    expect(socket.messages[0]).toMatchObject({ type: "status", status: "pending" });

    // The app scans from the same network, a few km away.
    const scan = await scanned(login, { ip: "203.0.113.99", cf: POTSDAM });
    expect(scan).toMatchObject({
      id: login.id,
      requester: {
        platform: "desktop",
        browser: "Chrome",
        os: "Windows",
        country: "DE",
        city: "Berlin",
        origin: ORIGIN,
        created_at: expect.any(Number),
      },
      proximity: { same_network: true, distance_km: 27 }, // Berlin–Potsdam, by hand: ~27 km
      metadata: { site: "Acme web" },
    });
    expect((scan.scan as string).length).toBeGreaterThanOrEqual(43);
    await eventually(() => socket.messages.length >= 2, "scanned");
    expect(socket.messages[1]).toMatchObject({
      type: "status",
      status: "scanned",
      device: { platform: "android", country: "DE" },
    });

    const ok = await approve(backend, login.id, {
      scan: scan.scan,
      subject: "user_42",
      claims: { name: "Ada", plan: "pro" },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: login.id, status: "approved" });
    await eventually(() => socket.messages.length >= 3, "approved");
    const pushed = socket.messages[2] as { status: string; ticket: string };
    expect(pushed.status).toBe("approved");
    expect(pushed.ticket).toMatch(/^[0-9A-Z]{48}$/);
    await eventually(socket.closed, "the close after approval");
    // Long-poll readers get the same ticket (it is derived, not stored).
    expect((await loginStatus(login)).ticket).toBe(pushed.ticket);

    const res = await exchange(backend, pushed.ticket, login.verifier);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      login_id: login.id,
      subject: "user_42",
      claims: { name: "Ada", plan: "pro" },
      approved_at: expect.any(Number),
      requester: expect.objectContaining({ browser: "Chrome", city: "Berlin" }),
      approver: { platform: "android", country: "DE" },
      approved_by: expect.stringMatching(/^key_[0-9a-z]{16}$/),
    });
    const again = await exchange(backend, pushed.ticket, login.verifier);
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toBe("already_exchanged");

    const after = await loginStatus(login);
    expect(after).toMatchObject({ status: "exchanged", deadline: null });
    expect(after.ticket).toBeUndefined();
    expect(await hopsOf(login.id, 4)).toEqual(
      expect.arrayContaining(["created", "scanned", "approved", "exchanged"]),
    );
  });

  it("stores hashes, never the watch secret, the scan handle, the ticket, the verifier or the IP", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend, { ip: "198.51.100.23", cf: BERLIN });
    const scan = await scanned(login, { ip: "198.51.100.77" });
    await approve(backend, login.id, { scan: scan.scan, subject: "u_1", claims: { a: 1 } });
    const { ticket } = (await loginStatus(login)) as { ticket: string };
    const rec = (await storedLogin(login.id))!;
    const text = JSON.stringify(rec);
    for (const secret of [login.watch, scan.scan, ticket, login.verifier, "198.51.100"]) {
      expect(text).not.toContain(secret);
    }
    expect(rec.watch_hash).toBe(await sha256Hex(login.watch));
    expect(rec.scan_hash).toBe(await sha256Hex(scan.scan));
    expect(rec.ticket_hash).toBe(await sha256Hex(ticket));
    expect(rec).toMatchObject({ subject: "u_1", claims: '{"a":1}', network: null, location: null });
    expect(rec.proximity).toEqual({ same_network: true, distance_km: null });
    // Once exchanged, what the approver said is gone too.
    await exchange(backend, ticket, login.verifier);
    expect(await storedLogin(login.id)).toMatchObject({
      status: "exchanged",
      subject: null,
      claims: null,
      ticket_hash: null,
    });
  });

  it("a secret-key backend states the PC's context (`client`); a publishable key may not", async () => {
    const [pk, backend] = await Promise.all([publishableKey(), mintSecretKey()]);
    const login = await createLogin(backend, {
      body: {
        client: {
          user_agent:
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
          ip: "2001:db8:1:2::5",
          origin: ORIGIN,
        },
      },
      cf: BERLIN, // the backend's own place: not the PC's
    });
    const scan = await scanned(login, { ip: "2001:db8:1:ffff::9" });
    expect(scan.requester).toMatchObject({
      browser: "Safari",
      os: "macOS",
      origin: ORIGIN,
      city: null,
    });
    expect(scan.proximity).toEqual({ same_network: true });
    const refused = await call("/v1/logins", {
      method: "POST",
      key: pk,
      headers: { origin: ORIGIN },
      json: {
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        client: { ip: "1.2.3.4" },
      },
    });
    expect(refused.status).toBe(403);
    const bad = await call("/v1/logins", {
      method: "POST",
      key: backend,
      json: {
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        client: { ip: "nope" },
      },
    });
    expect(bad.status).toBe(400);
  });

  it("serves the login's QR image (hop `rendered`), only for a login token of this bridge", async () => {
    const login = await createLogin(await mintSecretKey());
    const svg = await call(new URL(login.qr.svg).pathname);
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect(await svg.text()).toContain("<svg");
    expect(await hopsOf(login.id, 2)).toEqual(expect.arrayContaining(["created", "rendered"]));
    const token = login.url.slice(login.url.lastIndexOf("/") + 1);
    expect((await call(`/qr/h/${token}.svg`)).status).toBe(400); // a login token is no handoff's
    const forged = token.slice(0, -1) + (token.endsWith("0") ? "1" : "0");
    expect((await call(`/qr/l/${forged}.svg`)).status).toBe(400);
  });

  it("validates the challenge, ttl and metadata", async () => {
    const key = await mintSecretKey();
    const post = (json: unknown) => call("/v1/logins", { method: "POST", key, json });
    const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    for (const body of [
      {},
      { code_challenge: "short" },
      { code_challenge: `${challenge.slice(0, 42)}+` },
      { code_challenge: challenge, code_challenge_method: "plain" },
      { code_challenge: challenge, ttl: 29 },
      { code_challenge: challenge, ttl: 301 },
      { code_challenge: challenge, metadata: { "bad key": "x" } },
    ]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    // The clock stands still, on a whole second, while the login is made (the route sets its
    // deadline, the object its creation time): its lifetime is exactly the ttl asked for.
    vi.useFakeTimers({ toFake: ["Date"], now: Math.floor(Date.now() / 1000) * 1000 });
    const login = await createLogin(key, { body: { ttl: 300 } }).finally(() => vi.useRealTimers());
    const rec = (await storedLogin(login.id))!;
    expect(rec.expires_at - rec.created_at).toBe(300_000);
  });
});
