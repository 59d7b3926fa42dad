// Red team on the scan pages' languages through the real Worker: a store name that tries to
// turn the page's sentence around, Accept-Language headers no browser sends, the counting of a
// page in another language (bots, prefetches, HEAD), many first pages in a language at once,
// and the console, which reads those headers as the pages do.
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../src/limits";
import { createHandoff, scan as scanHandoff, status } from "./handoffs-helpers";
import {
  BASE,
  call,
  hopCapturingWorker,
  mintSecretKey,
  untilThrottled,
  windowedLimiter,
} from "./helpers";
import { createLogin, loginStatus } from "./logins-helpers";
import {
  IPHONE,
  makePoster,
  makeStore,
  patchPoster,
  SLACKBOT,
  scan,
  waitForHops,
} from "./poster-helpers";

// The explicit bidi controls: embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;

/** The language the page's `<html>` tag names. */
const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];

describe("a store name with bidi controls", () => {
  // U+2069 closes the isolate a browser draws <bdi> as; U+202E after it turns the rest of the
  // sentence right to left (checked in Chromium: "code ABC-123 at shop.example" was drawn as
  // "elpmaxe.pohs ta 321-CBA edoc"). Whoever names a store should not get to rewrite the page.
  const SPOOF = "Main St.\u2069\u202e";

  it.each(["en", "ar", "he", "ja"])(
    "is written without them, in <bdi>, on the %s pages",
    async (lang) => {
      const store = await makeStore(SPOOF);
      expect(store.name).toBe(SPOOF); // the API keeps the name as given
      const p = await makePoster({ store_id: store.id });
      const landing = await scan(`/p/${p.code}`, undefined, { "accept-language": lang });
      expect(landing.status).toBe(200);
      const page = await landing.text();
      expect(htmlLang(page)).toBe(lang);
      expect(page).toContain("<bdi>Main St.</bdi>");
      expect(BIDI.test(page)).toBe(false);

      expect((await patchPoster(p.id, { status: "paused" })).status).toBe(200);
      const paused = await scan(`/p/${p.code}`, undefined, { "accept-language": lang });
      expect(paused.status).toBe(410);
      const gone = await paused.text();
      expect(gone).toContain("<bdi>Main St.</bdi>");
      expect(BIDI.test(gone)).toBe(false);
    },
  );
});

describe("Accept-Language no browser sends", () => {
  it.each([
    ["ja;q=1e999", "ja"],
    ["es;q=0.5,ja;q=-1", "es"],
    ["he;q=0.0001,ko;q=0.3", "ko"],
    ["en,ar;q=1.5", "en"],
    ["zh-Hant-TW-u-nu-hanidec", "zh-Hant"],
    ["*, x-klingon, i-default, th;q=0.1", "th"],
    ["ja;q=NaN", "ja"],
    ["__proto__, constructor, hasOwnProperty", "en"],
    [`${"nl;q=0.9,".repeat(3000)}ja`, "en"],
    [`${"a".repeat(30_000)}`, "en"],
    [`ko;${"x=1;".repeat(4000)}`, "ko"],
    ["VI-vn", "vi"],
  ])("%j: a page in %s, never a 500", async (header, lang) => {
    const p = await makePoster();
    const res = await scan(`/p/${p.code}`, undefined, { "accept-language": header });
    expect(res.status).toBe(200);
    expect(htmlLang(await res.text())).toBe(lang);
    const entry = await call("/c", { headers: { "accept-language": header } });
    expect(entry.status).toBe(200);
    expect(htmlLang(await entry.text())).toBe(lang);
  });

  it("a WeChat User-Agent of any size names its language, or none", async () => {
    const p = await makePoster();
    const wechat = (tail: string) =>
      `Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI ${tail}`;
    for (const [ua, lang] of [
      [wechat("Language/ar"), "ar"],
      [wechat("Language/zh_HK"), "zh-Hant"],
      [wechat(`Language/${"x".repeat(9000)}`), "en"],
      [wechat(`${"Language/".repeat(2000)}ko`), "en"],
      [wechat("Language/__proto__"), "en"],
    ] as const) {
      const res = await scan(`/p/${p.code}`, ua);
      expect(res.status, ua.slice(-40)).toBe(200);
      expect(htmlLang(await res.text()), ua.slice(-40)).toBe(lang);
    }
  });
});

describe("counting a page in another language", () => {
  /** The hops a phone, a previewer, a prefetch and a HEAD leave on a fresh poster. */
  async function hopsIn(lang: string) {
    const p = await makePoster();
    const headers = { "accept-language": lang };
    const pages = [
      await scan(`/p/${p.code}`, SLACKBOT, headers),
      await scan(`/p/${p.code}`, IPHONE, { ...headers, "sec-purpose": "prefetch" }),
      await call(`/p/${p.code}`, { method: "HEAD", headers: { "user-agent": IPHONE, ...headers } }),
      await scan(`/p/${p.code}`, IPHONE, headers),
    ];
    for (const res of pages) {
      expect(res.status).toBe(200);
      await res.text();
    }
    const hops = await waitForHops({ poster_id: p.id }, 5);
    return hops.map((h) => `${h.hop}:${h.bot}`).sort();
  }

  it("is the same in English, Arabic, Hebrew and Japanese: three previews, one scan, one landing", async () => {
    const english = await hopsIn("en");
    expect(english).toEqual([
      "landing:0",
      "previewed:1",
      "previewed:1",
      "previewed:1",
      "scanned:0",
    ]);
    for (const lang of ["ar", "he", "ja"]) expect(await hopsIn(lang), lang).toEqual(english);
  });

  it("a handoff scanned in Arabic by a previewer first stays pending, then a phone scans it", async () => {
    const h = await createHandoff(await mintSecretKey());
    const preview = await scanHandoff(h, { "accept-language": "ar", "user-agent": SLACKBOT });
    expect(preview.status).toBe(200);
    expect(htmlLang(await preview.text())).toBe("ar");
    expect((await status(h)).status).toBe("pending");
    const phone = await scanHandoff(h, { "accept-language": "ar" });
    expect(htmlLang(await phone.text())).toBe("ar");
    expect((await status(h)).status).toBe("scanned");
  });
});

describe("the QR login's scan page in another language", () => {
  it("is a page only: in Hebrew, Arabic or Thai, opened by a phone or a previewer, the login stays pending", async () => {
    const login = await createLogin(await mintSecretKey());
    const path = new URL(login.url).pathname;
    for (const [lang, ua] of [
      ["he", IPHONE],
      ["ar", SLACKBOT],
      ["th", IPHONE],
    ] as const) {
      const get = await call(path, { headers: { "accept-language": lang, "user-agent": ua } });
      expect(get.status, lang).toBe(200);
      expect(htmlLang(await get.text()), lang).toBe(lang);
      const head = await call(path, {
        method: "HEAD",
        headers: { "accept-language": lang, "user-agent": ua },
      });
      expect(head.status, lang).toBe(200);
    }
    expect(await loginStatus(login)).toMatchObject({ status: "pending" });
  });
});

describe("a flood of forged codes in another language", () => {
  /** Forged poster codes from one new address until the 429: the statuses, the 429, the hops. */
  async function flood(lang: string) {
    const { send, rows } = hopCapturingWorker({
      FAILURE_LIMITER: windowedLimiter(RATE_LIMITS.failures),
      CLIENT_LIMITER: windowedLimiter(RATE_LIMITS.client),
    });
    const ip = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}::7`;
    const pages: string[] = [];
    const { before, throttled } = await untilThrottled(async (i) => {
      const headers = { "cf-connecting-ip": ip, "user-agent": IPHONE, "accept-language": lang };
      const res = await send(
        new Request(`${BASE}/p/ZZ${String(i).padStart(4, "0")}0000`, { headers }),
      );
      pages.push(htmlLang(await res.clone().text()) ?? "");
      return res;
    }, 4 * RATE_LIMITS.failures);
    const page = await throttled.text();
    return {
      before,
      langs: new Set(pages),
      throttled: [throttled.status, htmlLang(page), page.includes('dir="rtl"')],
      hops: rows.map((r) => r.hop),
    };
  }

  it("is refused and counted exactly as in English: one rejected hop a 404, then a 429", async () => {
    const english = await flood("en");
    expect(english.before).toEqual(Array(RATE_LIMITS.failures).fill(404));
    expect(english.hops).toEqual(Array(RATE_LIMITS.failures).fill("rejected"));
    for (const [lang, rtl] of [
      ["ar", true],
      ["ko", false],
    ] as const) {
      const got = await flood(lang);
      expect(got.before, lang).toEqual(english.before);
      expect(got.hops, lang).toEqual(english.hops);
      expect(got.langs, lang).toEqual(new Set([lang]));
      expect(got.throttled, lang).toEqual([429, lang, rtl]);
    }
  });
});

describe("many first pages in a language at once", () => {
  it("every one is in its language (the kit imported once, or harmlessly more)", async () => {
    const p = await makePoster();
    const langs = ["ko", "vi", "tr", "ru", "he", "id"];
    const pages = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        scan(`/p/${p.code}`, SLACKBOT, { "accept-language": langs[i % langs.length]! }),
      ),
    );
    const got = await Promise.all(
      pages.map(async (res) => [res.status, htmlLang(await res.text())]),
    );
    expect(got).toEqual(Array.from({ length: 24 }, (_, i) => [200, langs[i % langs.length]]));
  });
});

describe("the console", () => {
  // The console offers the scan pages' languages: the same hostile headers must pick as there.
  it("reads a hostile Accept-Language as the scan pages do, right to left only in he and ar", async () => {
    const cases: [string, string][] = [
      ["ja", "ja"],
      ["ar", "ar"],
      ["he-IL,en;q=0.1", "he"],
      ["ko;q=1e999", "ko"],
      ["es;q=0.5,zh;q=-1", "es"],
      ["ja;q=0.0001,fr;q=0.5", "fr"],
      ["zh-TW", "zh-Hant"],
    ];
    for (const [header, lang] of cases) {
      const res = await call("/dashboard", { headers: { "accept-language": header } });
      expect(res.status, header).toBe(200);
      const html = await res.text();
      expect(htmlLang(html), header).toBe(lang);
      expect(html.includes('dir="rtl"'), header).toBe(lang === "he" || lang === "ar");
    }
    const chosen = await call("/dashboard", {
      headers: { cookie: "qb_lang=de", "accept-language": "ja" },
    });
    expect(htmlLang(await chosen.text())).toBe("de");
  });
});
