// The pages a scan gets instead of a landing page: link not found, invalid, expired, inactive.
import { describe, expect, it } from "vitest";
import { renderMessagePage } from "../../src/pages/messages";
import { NONCE } from "./landing-helpers";

describe("message pages", () => {
  it.each([
    [404, undefined, "Link not found"],
    [400, undefined, "This link isn&#39;t valid"],
    [410, "handoff", "This code has expired"],
    [410, "poster", "This poster is no longer active"],
  ] as const)("%i %s", (status, kind, title) => {
    const html = renderMessagePage({ status, lang: "en", kind }, NONCE);
    expect(html).toContain(`<h1>${title}</h1>`);
    expect(html).toContain(`data-status="${status}"`);
  });

  it("names the store of an inactive poster, escaped, in Chinese too", () => {
    const store = "<b>Main</b> St.";
    const en = renderMessagePage(
      { status: 410, lang: "en", kind: "poster", storeName: store },
      NONCE,
    );
    expect(en).toContain(
      "This poster at <bdi>&lt;b&gt;Main&lt;/b&gt; St.</bdi> is no longer active.",
    );
    expect(en).not.toContain("<b>Main");
    const zh = renderMessagePage(
      { status: 410, lang: "zh", kind: "poster", storeName: "南京路店" },
      NONCE,
    );
    expect(zh).toContain("<bdi>南京路店</bdi> 的这张海报已停用");
  });

  it("takes a custom title and message, escaped", () => {
    const html = renderMessagePage(
      { status: 404, lang: "en", title: "<i>Gone</i>", message: '"><script>x</script>' },
      NONCE,
    );
    expect(html).toContain("<h1>&lt;i&gt;Gone&lt;/i&gt;</h1>");
    expect(html).not.toContain("<script>x");
  });
});
