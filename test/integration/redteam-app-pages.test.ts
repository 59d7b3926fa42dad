import { describe, expect, it } from "vitest";
import { checkSession } from "../../src/core/attribution";
import { call, testKeyring } from "./helpers";
import { IPHONE, makePoster, scan } from "./poster-helpers";

const ring = await testKeyring();
const fromHtml = (s: string) => s.replace(/&amp;/g, "&");

/** Every `s=` session token the page's app links carry. */
function sessionsOn(html: string): string[] {
  return [...fromHtml(html).matchAll(/[?&;]s=([0-9A-Z]+)/gi)].map((m) => m[1]!.toUpperCase());
}

describe("a poster's landing page", () => {
  it("a scan URL carrying another poster's session hands the app a session of this poster", async () => {
    const mine = await makePoster({ path: "/menu/pg1" });
    const theirs = await makePoster({ path: "/menu/pg2" });
    const theirPage = await (await scan(`/p/${theirs.code}`)).text();
    const [foreign] = sessionsOn(theirPage);
    expect(foreign).toBeDefined();
    const html = await (await scan(`/p/${mine.code}?s=${foreign}`)).text();
    const sessions = new Set(sessionsOn(html));
    expect(sessions.size).toBe(1);
    expect(sessions.has(foreign!)).toBe(false);
    const check = await checkSession(ring, [...sessions][0]!, Math.floor(Date.now() / 1000));
    expect(check.ok && check.session.posterId).toBe(mine.id);
  });

  it("a scan URL's own qb_link, qb_via or scheme never reaches the links it hands over", async () => {
    const p = await makePoster({ path: "/menu/pg3" });
    const res = await scan(
      `/p/${p.code}?qb_link=${encodeURIComponent("https://evil.example/P/X")}&qb_via=app_clip&x=javascript:alert(1)`,
    );
    expect(res.status).toBe(200);
    const html = fromHtml(await res.text());
    expect(html).not.toContain("evil.example");
    expect(html).not.toContain("qb_via=app_clip");
    expect(html).not.toContain("javascript:");
  });
});

describe("the manual entry page", () => {
  it("a typed code carrying markup is shown back as text", async () => {
    const typed = `"><script>alert(1)</script><input value="`;
    const res = await call(`/c?code=${encodeURIComponent(typed)}`, {
      headers: { "user-agent": IPHONE },
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain('"><script>');
    expect(html).toContain("&lt;script&gt;");
  });
});
