// Red team: the pages a scan opens. Their URLs carry tokens, so none may leak them through
// Referer or be framed (clickjacking); what a creator wrote (titles, names, params) must not
// become markup; and no link, form or redirect may take the person off to a place an attacker
// chose (open redirects, `javascript:` and protocol-relative URLs).
import { beforeAll, describe, expect, it } from "vitest";
import { createHandoff, DESKTOP_UA, IPHONE_UA, signedToken, tokenOf } from "./handoffs-helpers";
import { call, mintSecretKey } from "./helpers";
import { createLogin } from "./logins-helpers";
import { makePoster, makeStore, posterKey } from "./poster-helpers";

const INJECT = `"><script>alert(1)</script><img src=x onerror=alert(2)>`;

let key: string;
beforeAll(async () => {
  key = await mintSecretKey();
});

/** The headers every page with a token in its URL must carry. */
function expectSealed(res: Response, label: string): void {
  expect(res.headers.get("referrer-policy"), label).toBe("no-referrer");
  expect(res.headers.get("x-frame-options"), label).toBe("DENY");
  expect(res.headers.get("content-security-policy"), label).toContain("frame-ancestors 'none'");
  expect(res.headers.get("cache-control"), label).toContain("no-store");
}

/** No markup an attacker wrote survives, and no href or action goes anywhere but http(s) or here. */
async function expectInert(res: Response, label: string): Promise<void> {
  const text = await res.text();
  expect(text, label).not.toContain("<script>alert");
  expect(text, label).not.toContain("<img src=x");
  expect(text, label).not.toMatch(
    /(?:href|action|src)\s*=\s*["']?\s*(?:javascript|data|vbscript):/i,
  );
  expect(text, label).not.toMatch(/(?:href|action|src)\s*=\s*["']?\s*\/\/(?!\/)/i);
}

describe("pages with a token in their URL leak it to no one and cannot be framed", () => {
  it("handoff, login and poster pages, found, forged and expired, phone and desktop", async () => {
    const h = await createHandoff(key, { metadata: { title: "Cart" } });
    const login = await createLogin(key);
    const poster = await makePoster();
    const expired = await signedToken(Math.floor(Date.now() / 1000) - 60);
    const forged = `${tokenOf(h).slice(0, 30)}${"0".repeat(12)}`;
    const loginToken = login.url.slice(login.url.lastIndexOf("/") + 1);
    const pages: [string, string, number][] = [
      ["handoff", `/h/${tokenOf(h)}`, 200],
      ["handoff forged", `/h/${forged}`, 404],
      ["handoff expired", `/h/${expired}`, 410],
      ["login", `/l/${loginToken}`, 200],
      ["login forged", `/l/${loginToken.slice(0, 30)}${"0".repeat(12)}`, 404],
      ["poster", `/p/${poster.code}`, 200],
      ["manual entry, wrong code", "/c?code=ZZZZZ-ZZZZZ", 400],
    ];
    for (const ua of [IPHONE_UA, DESKTOP_UA]) {
      for (const [label, path, code] of pages) {
        const res = await call(path, { headers: { "user-agent": ua } });
        expect(res.status, label).toBe(code);
        expectSealed(res, `${label} (${ua.slice(13, 20)})`);
      }
    }
  });

  it("the manual entry's redirect to a poster page sends no Referer and stays on this origin", async () => {
    const poster = await makePoster();
    const res = await call(`/c?code=${poster.display_code.toLowerCase()}`, { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("location")).toBe(`/p/${poster.code}`);
  });
});

describe("open redirects", () => {
  it("the manual entry never redirects anywhere but a poster of this bridge", async () => {
    for (const code of [
      "//evil.example",
      "https://evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
      "%2F%2Fevil.example",
    ]) {
      const res = await call(`/c?code=${encodeURIComponent(code)}`, { redirect: "manual" });
      expect(res.status, code).toBe(400);
      expect(res.headers.get("location"), code).toBeNull();
      await expectInert(res, code);
    }
  });

  it("a handoff or poster path that would leave the app is refused at creation", async () => {
    const bad = [
      "javascript:alert(1)",
      "//evil.example/x",
      "/\\evil.example",
      "/%2F%2Fevil.example",
      "/%5Cevil.example",
      "https://evil.example",
      "/x/../../evil",
      "/x\u0000y",
    ];
    const pk = await posterKey();
    for (const path of bad) {
      const handoff = await call("/v1/handoffs", { method: "POST", key, json: { path } });
      expect(handoff.status, `handoff ${path}`).toBe(400);
      const poster = await call("/v1/posters", {
        method: "POST",
        key: pk,
        json: { name: "p", path },
      });
      expect(poster.status, `poster ${path}`).toBe(400);
    }
  });
});

describe("HTML injection through what creators write", () => {
  it("a handoff's title and subtitle are shown as text on every device's page", async () => {
    const h = await createHandoff(key, { metadata: { title: INJECT, subtitle: INJECT } });
    for (const ua of [IPHONE_UA, DESKTOP_UA, "Mozilla/5.0 MicroMessenger/8.0.47"]) {
      const res = await call(`/h/${tokenOf(h)}`, { headers: { "user-agent": ua } });
      expect(res.status).toBe(200);
      await expectInert(res, ua);
    }
  });

  it("a poster's name, store and params are text on its page, live or paused", async () => {
    const store = await makeStore(INJECT);
    const poster = await makePoster({
      name: INJECT,
      store_id: store.id,
      params: { ref: INJECT },
    });
    for (const ua of [IPHONE_UA, DESKTOP_UA]) {
      const res = await call(`/p/${poster.code}`, { headers: { "user-agent": ua } });
      expect(res.status).toBe(200);
      await expectInert(res, ua);
    }
    const paused = await call(`/v1/posters/${poster.id}`, {
      method: "PATCH",
      key: await posterKey(),
      json: { status: "paused" },
    });
    expect(paused.status).toBe(200);
    const gone = await call(`/p/${poster.code}`, { headers: { "user-agent": IPHONE_UA } });
    expect(gone.status).toBe(410);
    await expectInert(gone, "paused");
  });

  it("a login's metadata and stated origin never reach its link page", async () => {
    const login = await createLogin(key, {
      body: {
        metadata: { title: INJECT },
        client: { user_agent: INJECT, ip: "203.0.113.9", origin: INJECT },
      },
    });
    const token = login.url.slice(login.url.lastIndexOf("/") + 1);
    const res = await call(`/l/${token}`, { headers: { "user-agent": IPHONE_UA } });
    expect(res.status).toBe(200);
    await expectInert(res, "login page");
  });
});
