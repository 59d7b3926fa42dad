import { describe, expect, it } from "vitest";
import { raw } from "../../src/pages/html";
import { renderDocument } from "../../src/pages/layout";
import { PAGE_CSS, pageCss } from "../../src/pages/styles";

const ALL_CLASSES = new Set([...PAGE_CSS.matchAll(/\.([A-Za-z][\w-]*)/g)].map((m) => m[1]!));
/** The rules of a stylesheet written one a line, as pageCss writes them. */
const lines = (css: string) => css.split("\n");

describe("pageCss", () => {
  it("keeps every rule when every class may appear, and only element rules when none", () => {
    const all = lines(pageCss(ALL_CLASSES));
    // As many rules (and @media blocks) as the sheet has.
    expect(all.length).toBe(PAGE_CSS.match(/}\s*$/gm)!.length);
    for (const line of all) expect(line).toMatch(/^[^{]+{.*}$/);
    const none = pageCss(new Set());
    expect(none).toContain(":root{");
    expect(none).toContain("body{");
    expect(none).toContain("@media (prefers-color-scheme:dark){:root{");
    expect(none).not.toMatch(/(^|\n)\./);
  });

  it("keeps a class rule only when an element may have all of its classes", () => {
    const css = pageCss(new Set(["card", "btn", "guide"]));
    expect(css).toContain(".card{");
    expect(css).toContain(".card:first-child{");
    expect(css).toContain(".btn{");
    expect(css).toContain("@media (prefers-reduced-motion:reduce){.btn:active{");
    expect(css).not.toContain(".btn.done{"); // needs "done" too
    expect(css).not.toContain(".guide .arrow{"); // needs "arrow" too
    expect(css).toContain(".guide{");
    expect(css).not.toContain(".qr{");
    expect(pageCss(new Set(["btn", "done"]))).toContain(".btn.done{");
    expect(pageCss(new Set(["guide", "arrow"]))).toContain(".guide .arrow{");
  });

  it("writes each rule on one line, without the sheet's line breaks", () => {
    const css = pageCss(ALL_CLASSES);
    expect(css).toContain(
      "main{max-width:28rem;margin:0 auto;padding:max(24px,env(safe-area-inset-top)) 20px max(32px,env(safe-area-inset-bottom))}",
    );
    expect(css.length).toBeLessThan(PAGE_CSS.length);
  });
});

describe("renderDocument's assets", () => {
  const render = (body: string, mayContain?: string) =>
    renderDocument({ lang: "en", title: "T", nonce: "abc", body: raw(body), mayContain });
  const style = (page: string) => /<style nonce="abc">([^<]*)<\/style>/.exec(page)![1]!;

  it("carries the script parts its markup uses, and no script without any", () => {
    expect(render('<p class="note">x</p>')).not.toContain("<script");
    const copy = render('<button class="btn" data-copy="u">Copy</button>');
    expect(copy).toContain('each("[data-copy]"');
    expect(copy).not.toContain("data-remaining");
    expect(style(copy)).toContain(".btn.done{"); // the copy script adds "done"
    const countdown = render('<p class="expiry" data-remaining="9">x</p>');
    expect(countdown).toContain('each("[data-remaining]"');
    expect(style(countdown)).toContain(".expiry.expired{"); // the countdown adds "expired"
    expect(render('<section class="card" data-touch-only hidden></section>')).toContain(
      'each("[data-touch-only]"',
    );
  });

  it("plans for markup the page may get later (a template's slots)", () => {
    const later = '<p class="expiry" data-remaining="9">x</p>';
    const page = render('<p class="note">x</p>', later);
    expect(page).toContain('each("[data-remaining]"');
    expect(style(page)).toContain(".expiry{");
    expect(page).not.toContain(later);
  });

  it("takes class names from markup only, never from escaped text", () => {
    const page = render(`<p class="note">${'class="qr"'.replace(/"/g, "&quot;")}</p>`);
    expect(style(page)).not.toContain(".qr{");
  });
});
