// How a page gets a catalog the <qr-bridge> element does not carry (src/client/i18n.ts
// `wordsFor`): fetched once for the page by its versioned name, or English; asked again a minute
// after a failure, a few times, never after a CSP refused it. The catalogs themselves:
// embed-i18n.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { I18N_VERSION } from "../../../src/client/dist/i18n.gen";
import { CATALOGS } from "../../../src/client/langs/catalogs";
import { en } from "../../../src/client/langs/en";

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
