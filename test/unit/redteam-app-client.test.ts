// Red team, the client libraries: the app client fed a link of the attacker's making.
import { describe, expect, it } from "vitest";
import { createAppClient, isLoginLink } from "../../src/client/app";

const LOGIN = "HTTPS://QR.TEST/L/5T0M1ZC7X9R2B4N6D1JN7W80D1ABCDEFGHJKMN";
const HANDOFF = "HTTPS://QR.TEST/H/8QK3T0M1ZC7X9R2B4N6D1JN7W80D1ABCDEFGHJKMN";

describe("app client", () => {
  it("a login link smuggled in the path of a custom-scheme URL is not a login link", () => {
    // The landing page appends its own link last; the first came with the in-app path.
    const smuggled = `acme:///product/1?qb_link=${encodeURIComponent(LOGIN)}&qb_link=${encodeURIComponent(HANDOFF)}`;
    expect(isLoginLink(smuggled)).toBe(false);
    // The page's own login link is still recognised.
    expect(isLoginLink(`acme:///?qb_link=${encodeURIComponent(LOGIN)}`)).toBe(true);
  });

  it("resolving a link of another host sends it to the bridge as data, fetching nothing else", async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const client = createAppClient({
      baseUrl: "https://qr.test/",
      fetch: async (url, init) => {
        calls.push({ url: String(url), init: init ?? {} });
        return new Response(JSON.stringify({ error: "invalid_url", message: "no" }), {
          status: 400,
          headers: { "content-type": "application/json" },
        });
      },
    });
    await expect(
      client.resolve("https://evil.example/H/X?qb_link=https://evil.example/"),
    ).rejects.toMatchObject({
      code: "invalid_url",
    });
    expect(calls.map((c) => c.url)).toEqual(["https://qr.test/v1/resolve"]);
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({
      url: "https://evil.example/H/X?qb_link=https://evil.example/",
      claim: expect.any(String),
    });
  });

  it("a denial names its login by a path segment the id cannot escape", async () => {
    const urls: string[] = [];
    const client = createAppClient({
      baseUrl: "https://qr.test",
      fetch: async (url) => {
        urls.push(String(url));
        return new Response("{}", { status: 200 });
      },
    });
    await client.denyLogin("../../v1/keys?x=", "scan-handle");
    expect(urls).toEqual(["https://qr.test/v1/logins/..%2F..%2Fv1%2Fkeys%3Fx%3D/deny"]);
  });
});
