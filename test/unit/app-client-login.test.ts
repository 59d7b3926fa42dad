// The app client (src/client/app.ts) against a fake fetch, for QR login: scanning a login
// link, denying it, and telling a login link from other bridge links.
import { describe, expect, it } from "vitest";
import { createAppClient, isLoginLink, QrBridgeError } from "../../src/client/app";
import { fakeFetch, json, LINK } from "./app-client-helpers";

describe("QR login", () => {
  const LOGIN_LINK = "HTTPS://QR.TEST/L/8QK3T0M1ZC7X9R2B4N6D1JN7W80D1ABCDEFGHJKMN";
  const SCAN = {
    id: "8QK3T0M1ZC7X9R2B4N6D",
    scan: "s".repeat(43),
    expires_at: 1_767_225_720_000,
    requester: { platform: "desktop", browser: "Chrome", os: "Windows", city: "Berlin" },
    proximity: { same_network: true, distance_km: 3 },
    metadata: null,
  };

  it("scanLogin POSTs the url to /v1/logins/scan and returns who is asking", async () => {
    const f = fakeFetch(json(200, SCAN));
    const client = createAppClient({ baseUrl: "https://qr.test/", fetch: f.fn });
    const out = await client.scanLogin(LOGIN_LINK);
    expect(f.sent[0]).toMatchObject({
      url: "https://qr.test/v1/logins/scan",
      method: "POST",
      body: { url: LOGIN_LINK },
    });
    expect(out.requester.browser).toBe("Chrome");
    expect(out.scan).toBe(SCAN.scan);
  });

  it("a second scanner gets a typed already_scanned error; a body without a handle is refused", async () => {
    const f = fakeFetch(
      json(409, { error: "already_scanned", message: "another phone has already scanned" }),
      json(200, { id: "x" }),
    );
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    const err = await client.scanLogin(LOGIN_LINK).catch((e) => e);
    expect(err).toBeInstanceOf(QrBridgeError);
    expect(err).toMatchObject({ code: "already_scanned", status: 409 });
    await expect(client.scanLogin(LOGIN_LINK)).rejects.toMatchObject({ code: "bad_response" });
  });

  it("denyLogin POSTs the scan handle (and a reason) to …/deny, with no key", async () => {
    const f = fakeFetch(json(200, { id: SCAN.id, status: "denied" }), json(200, {}));
    const client = createAppClient({ baseUrl: "https://qr.test", fetch: f.fn });
    await client.denyLogin(SCAN.id, SCAN.scan, "not_me");
    await client.denyLogin(SCAN.id, SCAN.scan);
    expect(f.sent[0]).toMatchObject({
      url: `https://qr.test/v1/logins/${SCAN.id}/deny`,
      body: { scan: SCAN.scan, reason: "not_me" },
    });
    expect(f.sent[1]!.body).toEqual({ scan: SCAN.scan });
    expect(f.sent[0]!.headers).not.toHaveProperty("authorization");
  });

  it("isLoginLink tells a login link from handoff and poster links, also inside qb_link", () => {
    expect(isLoginLink(LOGIN_LINK)).toBe(true);
    expect(isLoginLink(LOGIN_LINK.toLowerCase())).toBe(true);
    expect(isLoginLink(`acme:///?qb_link=${encodeURIComponent(LOGIN_LINK)}`)).toBe(true);
    expect(isLoginLink(LINK)).toBe(false);
    expect(isLoginLink("HTTPS://QR.TEST/P/7K2M9QX4AB")).toBe(false);
    expect(isLoginLink("not a url")).toBe(false);
  });
});
