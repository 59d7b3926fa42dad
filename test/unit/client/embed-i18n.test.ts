// The <qr-bridge> element's languages (src/client/i18n.ts, src/client/langs/): every catalog
// complete with English's placeholders, the tag matching of the product's language list, the
// catalogs' version, and how a page gets a catalog it does not carry (once, or English; asked
// again a minute after a failure, a few times, never after a CSP refused it).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { I18N_VERSION } from "../../../src/client/dist/i18n.gen";
import { isRtl, LANGS, langOf, pickLang, t } from "../../../src/client/i18n";
import { CATALOGS, type Catalog, type TextKey } from "../../../src/client/langs/catalogs";
import { en } from "../../../src/client/langs/en";

const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();

describe("the catalogs", () => {
  it("are the product's languages, in its order (shared with the pages and the cards)", () => {
    const list = "en zh zh-Hant ja ko es fr de pt it id vi th tr ru he ar".split(" ");
    expect([...LANGS]).toEqual(list);
    expect(Object.keys(CATALOGS)).toEqual(list);
  });

  it("each has every English key, no other, with English's placeholders, in its own words", () => {
    const keys = Object.keys(en).sort();
    for (const lang of LANGS) {
      const texts: Record<string, unknown> = CATALOGS[lang];
      expect(Object.keys(texts).sort(), lang).toEqual(keys);
      for (const key of keys as TextKey[]) {
        const text = texts[key];
        expect(typeof text === "string" && text.trim() !== "", `${lang} ${key}`).toBe(true);
        expect(placeholders(text as string), `${lang} ${key}`).toEqual(placeholders(en[key]));
        // No stray control or isolate characters: the element adds isolates itself.
        const stray = [...(text as string)].filter((c) => {
          const code = c.codePointAt(0) ?? 0;
          return (
            code < 0x20 || (code >= 0x2066 && code <= 0x2069) || code === 0x200e || code === 0x200f
          );
        });
        expect(stray, `${lang} ${key}`).toEqual([]);
      }
      if (lang !== "en") {
        const same = (keys as TextKey[]).filter((k) => CATALOGS[lang][k] === en[k]);
        expect(same, `${lang}: texts left in English`).toEqual([]);
      }
    }
  });

  it("miss no key at compile time either", () => {
    const { warn: _warn, ...withoutWarn } = en;
    // @ts-expect-error a catalog without a key of English does not compile
    const incomplete: Catalog = withoutWarn;
    expect(Object.keys(incomplete)).not.toContain("warn");
  });

  it("are served under the version the embed asks for: the hash of their JSON", async () => {
    const json = new TextEncoder().encode(JSON.stringify(CATALOGS));
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", json));
    const hex = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(I18N_VERSION).toBe(hex.slice(0, 12));
  });
});

describe("langOf and pickLang", () => {
  it.each([
    ["en", "en"],
    ["en-GB", "en"],
    ["zh", "zh"],
    ["zh-CN", "zh"],
    ["zh-SG", "zh"],
    ["zh-Hans", "zh"],
    ["zh-Hans-HK", "zh"],
    ["zh_CN", "zh"],
    ["zh-TW", "zh-Hant"],
    ["zh-HK", "zh-Hant"],
    ["zh-MO", "zh-Hant"],
    ["zh-Hant", "zh-Hant"],
    ["zh-Hant-CN", "zh-Hant"],
    ["ZH-tw", "zh-Hant"],
    ["zh_TW", "zh-Hant"],
    ["ja-JP", "ja"],
    ["ko-KR", "ko"],
    ["es-419", "es"],
    ["es-ES", "es"],
    ["fr-CA", "fr"],
    ["de-AT", "de"],
    ["pt-BR", "pt"],
    ["pt-PT", "pt"],
    ["it", "it"],
    ["id-ID", "id"],
    ["in", "id"],
    ["vi-VN", "vi"],
    ["th-TH", "th"],
    ["tr-TR", "tr"],
    ["ru-RU", "ru"],
    ["he-IL", "he"],
    ["iw", "he"],
    ["ar-EG", "ar"],
    ["nl-NL", "en"],
    ["xx", "en"],
    ["zhx", "en"],
    ["-", "en"],
    ["../ja", "en"],
  ])("%j → %s", (tag, lang) => {
    expect(langOf(tag)).toBe(lang);
  });

  it("the element's lang first, then the page's, then the browser's; the first given decides", () => {
    expect(pickLang("ja", "de", "fr")).toBe("ja");
    expect(pickLang(null, "de", "fr")).toBe("de");
    expect(pickLang("", "", "pt-BR")).toBe("pt");
    expect(pickLang(null, undefined, undefined)).toBe("en");
    // A page that says it is Dutch gets English, not the browser's Japanese.
    expect(pickLang(null, "nl", "ja-JP")).toBe("en");
  });

  it("he and ar are right to left, the rest left to right", () => {
    expect(LANGS.filter(isRtl)).toEqual(["he", "ar"]);
  });
});

describe("t", () => {
  it("fills placeholders; in a right-to-left language each value is isolated", () => {
    expect(t(CATALOGS.en, "scanned", { device: "iOS 17.5" })).toBe(
      "Scanned on iOS 17.5. Continue on your phone.",
    );
    expect(t(CATALOGS.he, "scanned", { device: "iOS 17.5" }, true)).toBe(
      "נסרק במכשיר \u2068iOS 17.5\u2069. המשיכו בטלפון.",
    );
    expect(t(CATALOGS.ar, "expiresIn", { t: "1:05" }, true)).toBe(
      "تنتهي الصلاحية خلال \u20681:05\u2069",
    );
  });

  it("leaves a missing value empty and does not interpret values; blank while texts are on their way", () => {
    expect(t(CATALOGS.en, "error")).toBe("Could not create a code ().");
    expect(t(CATALOGS.en, "error", { code: "$&{code}" })).toBe(
      "Could not create a code ($&{code}).",
    );
    expect(t(null, "pending")).toBe("");
  });
});

describe("wordsFor: a catalog the embed does not carry", () => {
  const BASE = "https://qr.example.com";
  let fetches: string[];

  /** A fresh module (its page-wide cache empty) with `fetch` answering `answer`. */
  async function load(answer: (init?: RequestInit) => Promise<Response>) {
    vi.resetModules();
    fetches = [];
    vi.stubGlobal(
      "fetch",
      vi.fn((url: string, init?: RequestInit) => {
        fetches.push(url);
        return answer(init);
      }),
    );
    return (await import("../../../src/client/i18n")).wordsFor;
  }

  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const served = (lang: keyof typeof CATALOGS) => async () =>
    new Response(JSON.stringify(CATALOGS[lang]), { status: 200 });

  it("English and Simplified Chinese are built in: no request", async () => {
    const wordsFor = await load(served("ja"));
    expect(wordsFor("en", BASE, () => {})).toEqual({ lang: "en", texts: CATALOGS.en });
    expect(wordsFor("zh", BASE, () => {})).toEqual({ lang: "zh", texts: CATALOGS.zh });
    expect(fetches).toEqual([]);
  });

  it("another is fetched once for the page, by its versioned name; every waiting element redraws", async () => {
    const wordsFor = await load(served("ja"));
    const redraws: string[] = [];
    expect(wordsFor("ja", BASE, () => redraws.push("a"))).toEqual({ lang: "ja", texts: null });
    expect(wordsFor("ja", BASE, () => redraws.push("b"))).toEqual({ lang: "ja", texts: null });
    await vi.advanceTimersByTimeAsync(0);
    expect(redraws.sort()).toEqual(["a", "b"]);
    expect(wordsFor("ja", BASE, () => redraws.push("c"))).toEqual({
      lang: "ja",
      texts: CATALOGS.ja,
    });
    expect(fetches).toEqual([`${BASE}/sdk/i18n/ja.${I18N_VERSION}.json`]);
    expect(redraws).toHaveLength(2);
  });

  it("a refused fetch (a CSP without the bridge), a 404 or bad JSON: English, once", async () => {
    for (const answer of [
      () => Promise.reject(new TypeError("Failed to fetch")),
      async () => new Response('{"error":"not_found"}', { status: 404 }),
      async () => new Response("<html>", { status: 200 }),
    ]) {
      const wordsFor = await load(answer);
      let redrawn = 0;
      expect(wordsFor("he", BASE, () => redrawn++)).toEqual({ lang: "he", texts: null });
      await vi.advanceTimersByTimeAsync(0);
      expect(redrawn).toBe(1);
      expect(wordsFor("he", BASE, () => {})).toEqual({ lang: "en", texts: CATALOGS.en });
      expect(fetches).toHaveLength(1);
    }
  });

  it("a catalog slower than 4 s is given up: English", async () => {
    const wordsFor = await load(
      (init) =>
        new Promise((_, reject) => {
          init?.signal?.addEventListener("abort", () =>
            reject(new DOMException("aborted", "AbortError")),
          );
        }),
    );
    let redrawn = 0;
    expect(wordsFor("ar", BASE, () => redrawn++).texts).toBeNull();
    await vi.advanceTimersByTimeAsync(3_999);
    expect(redrawn).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(redrawn).toBe(1);
    expect(wordsFor("ar", BASE, () => {}).lang).toBe("en");
  });

  it("a served catalog without a key still has English for it", async () => {
    const { warn: _warn, ...partial } = CATALOGS.de;
    const wordsFor = await load(async () => new Response(JSON.stringify(partial)));
    wordsFor("de", BASE, () => {});
    await vi.advanceTimersByTimeAsync(0);
    const words = wordsFor("de", BASE, () => {});
    expect(words.texts?.warn).toBe(en.warn);
    expect(words.texts?.pending).toBe(CATALOGS.de.pending);
  });

  describe("a catalog that failed, asked for again", () => {
    /** A bridge that fails while `down()` says so, else serves `lang`'s catalog. */
    const flaky = (down: () => boolean, lang: keyof typeof CATALOGS) => async () =>
      down()
        ? Promise.reject(new TypeError("Failed to fetch"))
        : new Response(JSON.stringify(CATALOGS[lang]));

    it("a minute later, when an element draws: the bridge back up gives the language, no reload", async () => {
      let down = true;
      const wordsFor = await load(flaky(() => down, "ja"));
      wordsFor("ja", BASE, () => {});
      await vi.advanceTimersByTimeAsync(0);
      expect(wordsFor("ja", BASE, () => {})).toEqual({ lang: "en", texts: CATALOGS.en });
      down = false;
      await vi.advanceTimersByTimeAsync(59_999);
      // Drawn every second meanwhile (the countdown): no request before the minute.
      expect(wordsFor("ja", BASE, () => {}).lang).toBe("en");
      expect(fetches).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      let redrawn = 0;
      // English stays on screen while it is asked for again (no blank element).
      expect(wordsFor("ja", BASE, () => redrawn++)).toEqual({ lang: "en", texts: CATALOGS.en });
      expect(wordsFor("ja", BASE, () => redrawn++).lang).toBe("en");
      expect(fetches).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(0);
      expect(redrawn).toBe(2);
      expect(wordsFor("ja", BASE, () => {})).toEqual({ lang: "ja", texts: CATALOGS.ja });
      await vi.advanceTimersByTimeAsync(600_000);
      wordsFor("ja", BASE, () => {});
      expect(fetches).toHaveLength(2);
    });

    it("at most three times a page, a slow bridge as a down one", async () => {
      const wordsFor = await load(
        (init) =>
          new Promise((_, reject) => {
            init?.signal?.addEventListener("abort", () =>
              reject(new DOMException("aborted", "AbortError")),
            );
          }),
      );
      expect(wordsFor("ko", BASE, () => {}).texts).toBeNull();
      // An element drawing every second for half an hour, English after the first 4 s.
      await vi.advanceTimersByTimeAsync(4_000);
      for (let s = 4; s < 1800; s++) {
        expect(wordsFor("ko", BASE, () => {}).lang, `${s} s`).toBe("en");
        await vi.advanceTimersByTimeAsync(1000);
      }
      expect(fetches).toHaveLength(4);
    });

    /** A page whose CSP listener the module adds, and a way to fire a violation at it. */
    function page() {
      const listeners: ((e: { blockedURI: string }) => void)[] = [];
      vi.stubGlobal("document", {
        addEventListener: (type: string, fn: (e: { blockedURI: string }) => void) => {
          if (type === "securitypolicyviolation") listeners.push(fn);
        },
      });
      return (blockedURI: string) => {
        for (const fn of listeners) fn({ blockedURI });
      };
    }

    it.each([
      ["its URL", `${BASE}/sdk/i18n/fr.${I18N_VERSION}.json`],
      ["its origin", BASE],
    ])("not after a CSP refused it (the report names %s)", async (_, blockedURI) => {
      const violation = page();
      const wordsFor = await load(() => Promise.reject(new TypeError("Failed to fetch")));
      wordsFor("fr", BASE, () => {});
      violation(blockedURI);
      await vi.advanceTimersByTimeAsync(0);
      for (let m = 0; m < 10; m++) {
        await vi.advanceTimersByTimeAsync(60_000);
        expect(wordsFor("fr", BASE, () => {}).lang).toBe("en");
      }
      expect(fetches).toHaveLength(1);
    });

    it("still after a CSP refused something else on the page", async () => {
      const violation = page();
      const wordsFor = await load(() => Promise.reject(new TypeError("Failed to fetch")));
      wordsFor("fr", BASE, () => {});
      violation("https://ads.example.net");
      violation("https://qr.example.com.evil.test/sdk/i18n/fr.json");
      violation("");
      await vi.advanceTimersByTimeAsync(60_000);
      wordsFor("fr", BASE, () => {});
      expect(fetches).toHaveLength(2);
    });
  });
});
