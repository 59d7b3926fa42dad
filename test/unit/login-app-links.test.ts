// QB_LOGIN_APP_LINKS (apps.loginAppLinks): the opt-in that lets a phone camera open a QR login
// link (`/L/…`) straight in the iOS app. Off, the association files are exactly what apps built
// to the earlier docs expect; on, `/l/*` joins the AASA in both formats. Through the default
// Worker's env parsing, in Node (no binding needed).
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { optionsFromEnv } from "../../src/env-options";
import { BASE, createBridge, ctx, testEnv } from "./node-worker";

const APP_ID = "ABCDE12345.com.example.qrbridge";
const HANDOFF = { "/": "/h/*", caseSensitive: false, comment: "handoff links (QR codes use /H/)" };
const POSTER = { "/": "/p/*", caseSensitive: false, comment: "poster links (QR codes use /P/)" };
const LOGIN = { "/": "/l/*", caseSensitive: false, comment: "QR login links (QR codes use /L/)" };

interface Aasa {
  applinks: {
    apps: [];
    details: { appIDs?: string[]; components?: unknown[]; paths?: string[] }[];
  };
  appclips?: { apps: string[] };
}

/** The default Worker's env parsing, with some `QB_*` variables changed. */
async function fetchWith(
  vars: Partial<Record<keyof Env, string>>,
  path: string,
  basePath = "",
): Promise<Response> {
  const bridge = createBridge((e) => optionsFromEnv(e), { basePath });
  const env = { ...testEnv, ...vars } as Env;
  return bridge.fetch(new Request(`${BASE}${basePath}${path}`), env, ctx);
}

async function aasa(vars: Partial<Record<keyof Env, string>>, basePath = ""): Promise<Aasa> {
  const res = await fetchWith(vars, "/.well-known/apple-app-site-association", basePath);
  expect(res.status).toBe(200);
  return (await res.json()) as Aasa;
}

async function assetLinksText(vars: Partial<Record<keyof Env, string>>): Promise<string> {
  const res = await fetchWith(vars, "/.well-known/assetlinks.json");
  expect(res.status).toBe(200);
  return res.text();
}

describe("QB_LOGIN_APP_LINKS", () => {
  it("is off by default: both association files stay as apps built to the earlier docs expect", async () => {
    const unset = await aasa({});
    expect(unset).toEqual({
      applinks: {
        apps: [],
        details: [
          { appIDs: [APP_ID], components: [HANDOFF, POSTER] },
          { appID: APP_ID, paths: ["/h/*", "/H/*", "/p/*", "/P/*"] },
        ],
      },
      appclips: { apps: [`${APP_ID}.Clip`] },
    });
    expect(await aasa({ QB_LOGIN_APP_LINKS: "false" })).toEqual(unset);
    expect(await aasa({ QB_LOGIN_APP_LINKS: "" })).toEqual(unset);
    // Android lists no paths (the app's manifest does): the setting never changes assetlinks.json.
    const links = await assetLinksText({});
    expect(JSON.parse(links)).toHaveLength(1);
    expect(links).not.toContain("/l");
    expect(await assetLinksText({ QB_LOGIN_APP_LINKS: "true" })).toBe(links);
  });

  it("on, adds /l/* as a case-insensitive component and /l/*, /L/* as legacy paths", async () => {
    for (const value of ["true", "1"]) {
      expect(await aasa({ QB_LOGIN_APP_LINKS: value }), value).toEqual({
        applinks: {
          apps: [],
          details: [
            { appIDs: [APP_ID], components: [HANDOFF, POSTER, LOGIN] },
            { appID: APP_ID, paths: ["/h/*", "/H/*", "/p/*", "/P/*", "/l/*", "/L/*"] },
          ],
        },
        appclips: { apps: [`${APP_ID}.Clip`] },
      });
    }
  });

  it("prefixes the login paths with the base path, in both spellings for legacy iOS", async () => {
    const body = await aasa({ QB_LOGIN_APP_LINKS: "true" }, "/qr");
    expect(body.applinks.details[0]!.components).toContainEqual({ ...LOGIN, "/": "/qr/l/*" });
    expect(body.applinks.details[1]!.paths).toEqual([
      "/qr/h/*",
      "/QR/H/*",
      "/qr/p/*",
      "/QR/P/*",
      "/qr/l/*",
      "/QR/L/*",
    ]);
  });

  it("is the library option apps.loginAppLinks, under the path of publicUrl", async () => {
    const bridge = createBridge({
      adminKey: testEnv.QB_ADMIN_KEY,
      signingKeys: testEnv.QB_SIGNING_KEYS,
      env: "test",
      publicUrl: "https://example.com/go/",
      apps: { iosAppIds: [APP_ID], loginAppLinks: true },
    });
    const res = await bridge.fetch(
      new Request(`${BASE}/.well-known/apple-app-site-association`),
      testEnv,
      ctx,
    );
    const body = (await res.json()) as Aasa;
    expect(body.applinks.details[0]!.components).toContainEqual({ ...LOGIN, "/": "/go/l/*" });
    expect(body.applinks.details[1]!.paths).toEqual(expect.arrayContaining(["/go/l/*", "/GO/L/*"]));
  });

  it("treats a value other than true or 1 as off, like the other boolean settings", async () => {
    const unset = await aasa({});
    for (const value of ["yes", "on", "TRUE"]) {
      expect(await aasa({ QB_LOGIN_APP_LINKS: value }), value).toEqual(unset);
    }
  });

  it("adds nothing without an iOS app id, and /healthz warns that it has no effect", async () => {
    const vars = { QB_LOGIN_APP_LINKS: "true", QB_IOS_APP_IDS: "" };
    expect((await aasa(vars)).applinks.details).toEqual([]);
    const res = await fetchWith(vars, "/healthz");
    expect(res.status).toBe(200);
    const { warnings } = (await res.json()) as { warnings: string[] };
    expect(warnings).toEqual([
      expect.stringMatching(/^QB_LOGIN_APP_LINKS .* without QB_IOS_APP_IDS .*no effect/),
    ]);
    const withApp = await fetchWith({ QB_LOGIN_APP_LINKS: "true" }, "/healthz");
    expect(((await withApp.json()) as { warnings: string[] }).warnings).toEqual([]);
  });
});
