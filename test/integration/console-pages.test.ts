// The console's pages and files: content-hashed assets cached for good, the language, the
// sign-in form without a session, and a 404 for a page that does not exist.
import { beforeAll, describe, expect, it } from "vitest";
import { editorSession, type Session } from "./console-helpers";
import { call } from "./helpers";

let editor: Session;
beforeAll(async () => {
  ({ session: editor } = await editorSession());
});

describe("console pages and files", () => {
  it("serves its script and stylesheet under content-hashed names, cached for good", async () => {
    const html = await (
      await call("/dashboard/posters", { headers: { cookie: editor.cookie } })
    ).text();
    const js = /src="(\/dashboard\/assets\/console\.[0-9a-f]{12}\.js)"/.exec(html)![1]!;
    const css = /href="(\/dashboard\/assets\/console\.[0-9a-f]{12}\.css)"/.exec(html)![1]!;
    for (const [path, type] of [
      [js, "text/javascript"],
      [css, "text/css"],
    ] as const) {
      const res = await call(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain(type);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    }
    expect((await call("/dashboard/assets/console.000000000000.js")).status).toBe(404);
  });

  it("picks English or Simplified Chinese from Accept-Language, and the switch's cookie wins", async () => {
    const zh = await call("/dashboard/stores", {
      headers: { cookie: editor.cookie, "accept-language": "zh-CN,zh;q=0.9" },
    });
    const zhHtml = await zh.text();
    expect(zhHtml).toContain('<html lang="zh-Hans">');
    expect(zhHtml).toContain("门店");
    const en = await call("/dashboard/stores", {
      headers: { cookie: `${editor.cookie}; qb_lang=en`, "accept-language": "zh-CN" },
    });
    expect(await en.text()).toContain('<html lang="en">');
  });

  it("shows the sign-in form on a console page without a session", async () => {
    const html = await (await call("/dashboard/posters/ABC123")).text();
    expect(html).toContain('action="/dashboard/login"');
    expect(html).not.toContain("data-csrf");
  });

  it("answers a page that does not exist with 404, as a JSON error", async () => {
    for (const path of ["/dashboard/logout", "/dashboard/nope/ABC123", "/dashboard/posters/a.b"]) {
      const res = await call(path, { headers: { cookie: editor.cookie } });
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: string }).error).toBe("not_found");
    }
  });

  it("takes /console, the name every page shows, to the console", async () => {
    const res = await call("/console", { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/dashboard");
  });
});
