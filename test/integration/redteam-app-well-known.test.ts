// Red team, the association files and the app settings behind them: what Apple and Google
// cache decides which links of the domain open the app. A configured value that injects
// intent parameters, or widens the patterns past the bridge's own links, must refuse to serve.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createBridge } from "../../src/bridge";
import type { Env } from "../../src/env";
import { optionsFromEnv } from "../../src/env-options";
import { call } from "./helpers";

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as never;

/** The default bridge on the test variables plus `vars`, asked for `path`. */
function withVars(vars: Record<string, string>, path: string): Promise<Response> {
  const bridge = createBridge((e) => optionsFromEnv(e));
  return bridge.fetch(new Request(`https://qr.test${path}`), { ...env, ...vars } as Env, ctx);
}

describe("association files", () => {
  it("are JSON, served at once, and claim only the bridge's /h/ and /p/ links", async () => {
    const aasa = await call("/.well-known/apple-app-site-association", { redirect: "manual" });
    expect(aasa.status).toBe(200);
    expect(aasa.headers.get("content-type")).toMatch(/^application\/json/);
    const doc = (await aasa.json()) as {
      applinks: { details: ({ components: { "/": string }[] } | { paths: string[] })[] };
    };
    const patterns = doc.applinks.details.flatMap((d) =>
      "components" in d ? d.components.map((c) => c["/"]) : d.paths,
    );
    expect(new Set(patterns)).toEqual(new Set(["/h/*", "/H/*", "/p/*", "/P/*"]));

    const links = await call("/.well-known/assetlinks.json", { redirect: "manual" });
    expect(links.status).toBe(200);
    expect(links.headers.get("content-type")).toMatch(/^application\/json/);
    const [statement] = (await links.json()) as { target: { package_name: string } }[];
    expect(statement?.target.package_name).toBe("com.example.qrbridge");
  });

  it("an Android package that smuggles intent parameters refuses to serve", async () => {
    for (const pkg of [
      "com.acme;S.browser_fallback_url=https%3A%2F%2Fevil.example",
      "com.acme app",
      "acme",
    ]) {
      const res = await withVars({ QB_ANDROID_PACKAGE: pkg }, "/.well-known/assetlinks.json");
      expect(res.status, pkg).toBe(500);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe("misconfigured");
      expect(body.message).toContain("QB_ANDROID_PACKAGE");
    }
  });

  it("a public URL whose path holds a pattern wildcard cannot widen the association", async () => {
    for (const url of ["https://qr.test/*", "https://qr.test/go*", "https://qr.test/a/?x"]) {
      const res = await withVars({ QB_PUBLIC_URL: url }, "/.well-known/apple-app-site-association");
      expect(res.status, url).toBe(500);
      expect(((await res.json()) as { message: string }).message).toContain("QB_PUBLIC_URL");
    }
    // A plain path prefix is fine, and prefixes the patterns.
    const ok = await withVars(
      { QB_PUBLIC_URL: "https://qr.test/go" },
      "/.well-known/apple-app-site-association",
    );
    expect(ok.status).toBe(200);
    expect(JSON.stringify(await ok.json())).toContain('"/go/h/*"');
  });
});
