// The landing page's QR <img> loads from QB_PUBLIC_URL: when that is another origin than the
// host serving the page, the page's CSP must allow exactly that origin for images.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createBridge } from "../../src/bridge";
import type { Env } from "../../src/env";
import { createHandoff, DESKTOP_UA, tokenOf } from "./handoffs-helpers";
import { BASE, mintSecretKey } from "./helpers";
import { makePoster } from "./poster-helpers";

const testEnv = env as unknown as Env;
const secrets = {
  adminKey: testEnv.QB_ADMIN_KEY,
  signingKeys: testEnv.QB_SIGNING_KEYS,
  env: "test" as const,
};
const PUBLIC = "https://qr.example.com";

/** GET `path` on a bridge built with `publicUrl`, served from BASE (https://qr.test). */
async function desktopGet(publicUrl: string | undefined, path: string): Promise<Response> {
  const bridge = createBridge({ ...secrets, publicUrl });
  const ctx = createExecutionContext();
  const res = await bridge.fetch(
    new Request(`${BASE}${path}`, { headers: { "user-agent": DESKTOP_UA } }),
    testEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

const imgSrc = (res: Response) =>
  (res.headers.get("content-security-policy") ?? "")
    .split("; ")
    .find((d) => d.startsWith("img-src "));
const qrSrc = (html: string) => /<img class="qr" src="([^"]+)"/.exec(html)?.[1];

let posterPath: string;
let handoffPath: string;
beforeAll(async () => {
  const poster = await makePoster({ name: "CSP check" });
  posterPath = new URL(poster.url).pathname; // "/P/<CODE>"
  const handoff = await createHandoff(await mintSecretKey(), { path: "/cart/1" });
  handoffPath = `/h/${tokenOf(handoff)}`;
});

describe("landing page CSP with QB_PUBLIC_URL on another origin", () => {
  it("a poster's page allows images from that origin, and its QR <img> loads from it", async () => {
    const res = await desktopGet(`${PUBLIC}/`, posterPath);
    expect(res.status).toBe(200);
    expect(imgSrc(res)).toBe(`img-src 'self' data: ${PUBLIC}`);
    const src = qrSrc(await res.text());
    expect(src).toMatch(/^https:\/\/qr\.example\.com\/qr\/p\/[0-9A-Z]+\.svg$/);
    expect(new URL(src!).origin).toBe(PUBLIC);
  });

  it("a handoff's page too; a path in QB_PUBLIC_URL stays out of the CSP", async () => {
    const res = await desktopGet(`${PUBLIC}/go`, handoffPath);
    expect(res.status).toBe(200);
    expect(imgSrc(res)).toBe(`img-src 'self' data: ${PUBLIC}`);
    expect(qrSrc(await res.text())).toMatch(
      /^https:\/\/qr\.example\.com\/go\/qr\/h\/[0-9A-Z]+\.svg$/,
    );
  });

  it("adds nothing when the page is served from the public origin, or none is set", async () => {
    for (const publicUrl of [BASE, undefined]) {
      const res = await desktopGet(publicUrl, posterPath);
      expect(imgSrc(res), String(publicUrl)).toBe("img-src 'self' data:");
      expect(qrSrc(await res.text())).toMatch(/^https:\/\/qr\.test\/qr\/p\//);
    }
  });

  it("a QB_PUBLIC_URL that could rewrite the policy is a config error, never a header", async () => {
    for (const publicUrl of [
      "https://qr.example.com;script-src",
      "https://qr.example.com'",
      "https://*.example.com",
    ]) {
      const res = await desktopGet(publicUrl, posterPath);
      expect(res.status, publicUrl).toBe(500);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(((await res.json()) as { error: string }).error).toBe("misconfigured");
      expect(res.headers.get("content-security-policy")).toBeNull();
    }
  });
});
