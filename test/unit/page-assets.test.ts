import { describe, expect, it } from "vitest";
import { raw } from "../../src/pages/html";
import { renderDocument } from "../../src/pages/layout";

describe("renderDocument's assets", () => {
  const render = (body: string) =>
    renderDocument({ lang: "en", title: "T", nonce: "abc", body: raw(body) });
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
});
