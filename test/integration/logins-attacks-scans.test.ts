import { describe, expect, it } from "vitest";
import { DESKTOP_UA, eventually, hopsOf, IPHONE_UA, signedToken } from "./handoffs-helpers";
import { call, mintSecretKey } from "./helpers";
import {
  approve,
  BERLIN,
  createLogin,
  errorOf,
  loginStatus,
  openLoginSocket,
  POTSDAM,
  SAO_PAULO,
  scanLogin,
  scanned,
} from "./logins-helpers";

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
    const old = { token: await signedToken(Math.floor(Date.now() / 1000) - 1, login.id, "l") };
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
