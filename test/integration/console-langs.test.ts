// The console in the shop's language: the `qb_lang` cookie the switch sets wins when it names a
// console language, else Accept-Language picks among CONSOLE_LANGS; a forged cookie is ignored
// and never echoed. A page loads the script's words of its own language only, as a cached file.
import { beforeAll, describe, expect, it } from "vitest";
import { CONSOLE_PAGE_WORDS } from "../../src/pages/console-words";
import type { ConsoleLang } from "../../src/pages/i18n";
import { type Session, session } from "./console-helpers";
import { call, mintKey } from "./helpers";

let viewer: Session;
beforeAll(async () => {
  viewer = await session(await mintKey("secret", ["stats:read", "posters:write"]));
});

/** The funnel page (`/dashboard`) as the browser gets it with `headers`. */
async function dashboard(headers: Record<string, string>, cookie = viewer.cookie) {
  const res = await call("/dashboard", { headers: { ...headers, cookie } });
  expect(res.status).toBe(200);
  return res.text();
}

/** The words scripts a page loads (`console-words-<lang>.<hash>.js`), by language. */
const wordsScripts = (html: string) =>
  [
    ...html.matchAll(/src="\/dashboard\/assets\/console-words-([A-Za-z-]+)\.[0-9a-f]{12}\.js"/g),
  ].map((m) => m[1]);

/** The page speaks `lang`: its html tag, its navigation and funnel words, its words file. */
function expectSpeaks(html: string, lang: ConsoleLang, htmlTag: string) {
  const w = CONSOLE_PAGE_WORDS[lang];
  const rtl = lang === "he" || lang === "ar";
  expect(html).toContain(`<html lang="${htmlTag}"${rtl ? ' dir="rtl"' : ""}>`);
  expect(html).toContain(`<title>${w.shell.funnel} · qrbridge</title>`);
  expect(html).toContain(`>${w.shell.stores}</a>`);
  expect(html).toContain(`>${w.funnel.apply}</button>`);
  expect(html).toContain(`<option value="${lang}" lang="${htmlTag}" selected>`);
  expect(wordsScripts(html)).toEqual(lang === "en" ? [] : [lang]);
}

describe("the console's language", () => {
  it("follows Accept-Language among the console's languages", async () => {
    const ja = await dashboard({ "accept-language": "ja-JP,ja;q=0.9,en;q=0.5" });
    expectSpeaks(ja, "ja", "ja");
    expect(ja).toContain(">店舗</a>");
    const fr = await dashboard({ "accept-language": "nl-NL,es;q=0.8" });
    expectSpeaks(fr, "es", "es");
    const zhHant = await dashboard({ "accept-language": "zh-TW,zh;q=0.9" });
    expectSpeaks(zhHant, "zh-Hant", "zh-Hant");
    expectSpeaks(await dashboard({ "accept-language": "nl-NL" }), "en", "en");
    // Hebrew and Arabic pages are right to left.
    expectSpeaks(await dashboard({ "accept-language": "he-IL" }), "he", "he");
    expectSpeaks(await dashboard({ "accept-language": "ar-EG,en;q=0.5" }), "ar", "ar");
  });

  it("takes the switch's cookie over Accept-Language", async () => {
    const es = await dashboard({ "accept-language": "ja-JP" }, `${viewer.cookie}; qb_lang=es`);
    expectSpeaks(es, "es", "es");
    expect(es).toContain(">Tiendas</a>");
  });

  it("ignores a forged cookie: English or Accept-Language's choice, the value never echoed", async () => {
    const forged = ["xx", "<script>alert(1)</script>", "ja<svg>", "__proto__", "JA", "ja%22x"];
    for (const value of forged) {
      const plain = await dashboard({}, `${viewer.cookie}; qb_lang=${value}`);
      expectSpeaks(plain, "en", "en");
      expect(plain).not.toContain("alert(1)");
      expect(plain).not.toContain("<svg>");
      const withHeader = await dashboard(
        { "accept-language": "ja" },
        `${viewer.cookie}; qb_lang=${value}`,
      );
      expectSpeaks(withHeader, "ja", "ja");
    }
  });

  it("serves a language's words as a cached script the page loads before the console's", async () => {
    const html = await dashboard({ "accept-language": "ja" });
    const words = /src="(\/dashboard\/assets\/console-words-ja\.[0-9a-f]{12}\.js)"/.exec(html)![1]!;
    const script = /src="(\/dashboard\/assets\/console\.[0-9a-f]{12}\.js)"/.exec(html)![1]!;
    expect(html.indexOf(words)).toBeLessThan(html.indexOf(script));
    const res = await call(words);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/javascript");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const js = await res.text();
    expect(js).toContain('"lang":"ja"');
    expect(js).not.toContain('"lang":"es"');
    // The console's script carries English only: other languages come in their own files.
    const bundle = await (await call(script)).text();
    // (esbuild writes non-ASCII as \u escapes: the check is on plain words.)
    expect(bundle.includes('"Previous page"'), "English in the script").toBe(true);
    expect(bundle.includes('"qb_lang"') || bundle.includes("qb_lang="), "the switch").toBe(true);
    expect(bundle.includes('"Página anterior"'), "Spanish in the script").toBe(false);
    expect(bundle.includes('"P\\xE1gina anterior"'), "Spanish, escaped").toBe(false);
  });

  it("signs in in the browser's language too", async () => {
    const res = await call("/dashboard", { headers: { "accept-language": "ja" } });
    const html = await res.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain(`<h1>${CONSOLE_PAGE_WORDS.ja.shell.signIn}</h1>`);
  });
});
