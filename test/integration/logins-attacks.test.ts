// QR login attacks, each done as an attacker would (RFC 10027: the QR is relayable), and shown
// to fail: a publishable key used for anything but creating, a second scanner, a stolen ticket,
// racing approvals and exchanges, a phone far from the PC, a browser GET of the link.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseKeyring, signToken } from "../../src/core/token";
import { DESKTOP_UA, eventually, hopsOf, IPHONE_UA } from "./handoffs-helpers";
import { call, mintKey, mintSecretKey } from "./helpers";
import {
  approve,
  BERLIN,
  createLogin,
  errorOf,
  exchange,
  loginStatus,
  newVerifier,
  openLoginSocket,
  POTSDAM,
  SAO_PAULO,
  scanLogin,
  scanned,
} from "./logins-helpers";

const ORIGIN = "https://shop.example";

/** An approved login and everything each party holds. */
async function approvedLogin() {
  const backend = await mintSecretKey();
  const login = await createLogin(backend);
  const scan = await scanned(login);
  const ok = await approve(backend, login.id, { scan: scan.scan, subject: "user_42" });
  expect(ok.status).toBe(200);
  const { ticket } = (await loginStatus(login)) as { ticket: string };
  return { backend, login, scan, ticket };
}

describe("a publishable key (public in the page) can create a login and nothing else", () => {
  it("cannot read, long-poll, watch, approve, deny or exchange — even holding the handles", async () => {
    const pk = await mintKey("publishable", ["logins:write"], [ORIGIN]);
    const { login, scan, ticket } = await approvedLogin();
    const asPage = { key: pk, headers: { origin: ORIGIN } };
    const attempts: [string, Response][] = [
      ["GET", await call(`/v1/logins/${login.id}`, asPage)],
      ["GET + watch", await call(`/v1/logins/${login.id}?watch=${login.watch}`, asPage)],
      ["long-poll", await call(`/v1/logins/${login.id}?wait=1`, asPage)],
      [
        "events",
        await call(`/v1/logins/${login.id}/events`, {
          ...asPage,
          headers: { ...asPage.headers, upgrade: "websocket" },
        }),
      ],
      [
        "approve",
        await call(`/v1/logins/${login.id}/approve`, {
          ...asPage,
          method: "POST",
          json: { scan: scan.scan, subject: "attacker" },
        }),
      ],
      [
        "deny",
        await call(`/v1/logins/${login.id}/deny`, {
          ...asPage,
          method: "POST",
          json: { scan: scan.scan },
        }),
      ],
      [
        "exchange",
        await call("/v1/logins/exchange", {
          ...asPage,
          method: "POST",
          json: { ticket, code_verifier: login.verifier },
        }),
      ],
    ];
    for (const [what, res] of attempts) {
      expect(res.status, what).toBe(403);
      expect(await errorOf(res), what).toBe("forbidden");
    }
    // Nothing moved: the rightful backend still exchanges once.
    expect((await loginStatus(login)).status).toBe("approved");
  });

  it("creates only from its allowed origin", async () => {
    const pk = await mintKey("publishable", ["logins:write"], [ORIGIN]);
    const json = { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" };
    const elsewhere = await call("/v1/logins", {
      method: "POST",
      key: pk,
      json,
      headers: { origin: "https://evil.example" },
    });
    expect(elsewhere.status).toBe(403);
    const home = await call("/v1/logins", {
      method: "POST",
      key: pk,
      json,
      headers: { origin: ORIGIN },
    });
    expect(home.status).toBe(201);
  });
});

describe("first scan wins", () => {
  it("a second scanner gets 409 already_scanned and the PC is warned", async () => {
    const login = await createLogin(await mintSecretKey());
    const socket = await openLoginSocket(login);
    // The attacker photographed the victim's QR and scanned first.
    expect((await scanLogin(login.url, { ua: IPHONE_UA, ip: "192.0.2.66" })).status).toBe(200);
    const victim = await scanLogin(login.url);
    expect(victim.status).toBe(409);
    const refusal = (await victim.json()) as { error: string; scan?: string };
    expect(refusal.error).toBe("already_scanned");
    expect(refusal.scan).toBeUndefined();
    await eventually(() => socket.messages.some((m) => m.type === "warning"), "the warning");
    expect(socket.messages.find((m) => m.type === "warning")).toMatchObject({
      code: "second_scan",
      device: { platform: "android" },
    });
    expect(await loginStatus(login)).toMatchObject({ status: "scanned", other_scans: 1 });
    expect(await hopsOf(login.id, 3)).toEqual(expect.arrayContaining(["scanned", "rejected"]));
  });

  it("a long-poll wakes on the warning", async () => {
    const login = await createLogin(await mintSecretKey());
    await scanned(login);
    const waiting = loginStatus(login, "&wait=10&since=scanned&other_scans=0");
    await scanLogin(login.url);
    expect(await waiting).toMatchObject({ status: "scanned", changed: false, other_scans: 1 });
  });
});

describe("a stolen ticket", () => {
  it("is useless without the PC page's verifier: a wrong one burns it (400), the owner then gets 409", async () => {
    const { backend, login, ticket } = await approvedLogin();
    const stolen = await exchange(backend, ticket, newVerifier());
    expect(stolen.status).toBe(400);
    expect(await errorOf(stolen)).toBe("invalid_grant");
    const owner = await exchange(backend, ticket, login.verifier);
    expect(owner.status).toBe(409);
    expect(await errorOf(owner)).toBe("already_exchanged");
    expect((await loginStatus(login)).status).toBe("burnt");
  });

  it("a forged ticket is refused before storage and burns nothing", async () => {
    const { backend, login, ticket } = await approvedLogin();
    const forged = ticket.slice(0, 22) + (ticket[22] === "0" ? "1" : "0") + ticket.slice(23);
    const res = await exchange(backend, forged, login.verifier);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toBe("invalid_grant");
    expect((await exchange(backend, ticket.toLowerCase(), login.verifier)).status).toBe(200);
  });

  it("is not handed out before approval, nor by a message on the socket", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    expect((await loginStatus(login)).ticket).toBeUndefined();
    await scanned(login);
    expect((await loginStatus(login)).ticket).toBeUndefined();
  });
});

describe("races: the object decides once", () => {
  it("100 concurrent approves → exactly one", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const scan = await scanned(login);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        approve(backend, login.id, { scan: scan.scan, subject: `user_${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
  });

  it("100 concurrent exchanges → exactly one", async () => {
    const { backend, login, ticket } = await approvedLogin();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => exchange(backend, ticket, login.verifier)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
  });
});

describe("proximity policy", () => {
  const create = async () => {
    const backend = await mintSecretKey();
    return { backend, login: await createLogin(backend, { ip: "203.0.113.10", cf: BERLIN }) };
  };

  it("require_same_network refuses a phone on another network, and the login is denied", async () => {
    const { backend, login } = await create();
    const socket = await openLoginSocket(login);
    const scan = await scanned(login, { ip: "198.51.100.7", cf: BERLIN });
    expect(scan.proximity).toEqual({ same_network: false, distance_km: 0 });
    const res = await approve(backend, login.id, {
      scan: scan.scan,
      subject: "u",
      require_same_network: true,
    });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: string; details: Record<string, unknown> };
    expect(body.error).toBe("proximity_failed");
    expect(body.details).toMatchObject({ status: "denied", proximity: { same_network: false } });
    expect(await loginStatus(login)).toMatchObject({ status: "denied", denied_by: "policy" });
    await eventually(() => socket.messages.some((m) => m.status === "denied"), "denied push");
  });

  it("max_distance_km refuses a phone far away, and one whose place is unknown", async () => {
    const { backend, login } = await create();
    const far = await scanned(login, { ip: "203.0.113.50", cf: SAO_PAULO });
    expect(far.proximity).toMatchObject({ same_network: true });
    expect(far.proximity as { distance_km: number }).toHaveProperty("distance_km");
    expect((far.proximity as { distance_km: number }).distance_km).toBeGreaterThan(9000);
    const res = await approve(backend, login.id, {
      scan: far.scan,
      subject: "u",
      max_distance_km: 50,
    });
    expect(res.status).toBe(409);
    expect(await errorOf(res)).toBe("proximity_failed");

    const other = await create();
    const unknown = await scanned(other.login, { ip: "203.0.113.50" });
    expect(unknown.proximity).toEqual({ same_network: true });
    const refused = await approve(other.backend, other.login.id, {
      scan: unknown.scan,
      subject: "u",
      max_distance_km: 50,
    });
    expect(refused.status).toBe(409);
  });

  it("lets a phone through that meets both rules", async () => {
    const { backend, login } = await create();
    const near = await scanned(login, { ip: "203.0.113.200", cf: POTSDAM });
    const res = await approve(backend, login.id, {
      scan: near.scan,
      subject: "u",
      require_same_network: true,
      max_distance_km: 50,
    });
    expect(res.status).toBe(200);
  });
});

describe("a browser GET of the login link changes nothing", () => {
  it("shows 'open this in the app' to phones, desktops, previewers and HEAD, and the login stays pending", async () => {
    const login = await createLogin(await mintSecretKey());
    const socket = await openLoginSocket(login);
    const path = new URL(login.url).pathname.toLowerCase();
    for (const ua of [
      IPHONE_UA,
      DESKTOP_UA,
      "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    ]) {
      const res = await call(path, { headers: { "user-agent": ua } });
      expect(res.status, ua).toBe(200);
      const html = await res.text();
      expect(html, ua).toMatch(/Log in on your computer/);
      expect(html, ua).not.toContain("Chrome"); // who is asking is for the app only
    }
    const page = await (await call(path, { headers: { "user-agent": IPHONE_UA } })).text();
    expect(page).toContain("qb_link=");
    expect(page).toContain("Download on the App Store");
    expect((await call(path, { method: "HEAD" })).status).toBe(200);
    expect(await loginStatus(login)).toMatchObject({ status: "pending", other_scans: 0 });
    expect(socket.messages.map((m) => m.status)).toEqual(["pending"]);
    expect(await hopsOf(login.id, 1)).toEqual(["created"]);
    // The app's scan after all those GETs is still the first.
    expect((await scanLogin(login.url)).status).toBe(200);
  });

  it("a forged or expired link gets a 404 or 410 page", async () => {
    const login = await createLogin(await mintSecretKey());
    const ring = await parseKeyring(
      (env as unknown as { QB_SIGNING_KEYS: string }).QB_SIGNING_KEYS,
    );
    const old = await signToken(ring, "l", {
      expiresAt: Math.floor(Date.now() / 1000) - 1,
      id: login.id,
    });
    expect((await call(`/l/${old.token}`)).status).toBe(410);
    const forged = old.token.slice(0, -1) + (old.token.endsWith("0") ? "1" : "0");
    expect((await call(`/l/${forged}`)).status).toBe(404);
  });
});

describe("a token is bound to its kind", () => {
  it("a handoff token is not a login link, and a login token is not a handoff link", async () => {
    const key = await mintSecretKey();
    const login = await createLogin(key);
    const token = login.url.slice(login.url.lastIndexOf("/") + 1);
    const asHandoff = await call(`/h/${token}`, { headers: { "user-agent": IPHONE_UA } });
    expect(asHandoff.status).toBe(404);
    const res = await call("/v1/handoffs", { method: "POST", key, json: {} });
    const handoff = (await res.json()) as { url: string };
    const relabelled = handoff.url.replace("/H/", "/L/");
    const scan = await scanLogin(relabelled);
    expect(scan.status).toBe(400);
    expect(await errorOf(scan)).toBe("invalid_token");
    expect((await scanLogin(handoff.url)).status).toBe(400);
    // And /v1/resolve points a login link to the right endpoint.
    const resolve = await call("/v1/resolve", { method: "POST", json: { url: login.url } });
    expect(resolve.status).toBe(400);
    expect(((await resolve.json()) as { message: string }).message).toMatch(/\/v1\/logins\/scan/);
  });
});
