// Red team on the <qr-bridge> element's languages (src/client/i18n.ts): a shop's `texts` and a
// served catalog that hold more than texts, placeholders named after Object's own properties,
// values with bidi controls, and a catalog that answers after the element moved to another
// language.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { overTexts, t } from "../../../src/client/i18n";
import { CATALOGS } from "../../../src/client/langs/catalogs";
import { en } from "../../../src/client/langs/en";

const BASE = "https://qr.example.com";

describe("t with a shop's own texts", () => {
  it("a placeholder named after Object's properties is no value: empty, not Object's code", () => {
    const texts = overTexts(en, {
      pending: "{constructor}|{toString}|{__proto__}|{hasOwnProperty}|{valueOf}",
    });
    expect(t(texts, "pending")).toBe("||||");
    expect(t(texts, "pending", {}, true)).toBe("||||");
  });

  it("a value's bidi controls cannot end its isolate and turn the rest round", () => {
    // U+2069 closes the U+2068 the element puts around a value; U+202E then draws the rest
    // of the sentence right to left.
    const he = t(CATALOGS.he, "scanned", { device: "iOS\u2069\u202e 17.5" }, true);
    expect(he).toBe("נסרק במכשיר \u2068iOS 17.5\u2069. המשיכו בטלפון.");
    expect(t(CATALOGS.en, "scanned", { device: "\u202eiOS\u2066" })).toBe(
      "Scanned on iOS. Continue on your phone.",
    );
  });
});

describe("overTexts: a shop's texts or a served catalog over the language's", () => {
  it("takes strings under known keys only; markup stays a string for textContent", () => {
    const texts = overTexts(en, {
      pending: "<img src=x onerror=alert(1)>",
      refresh: 5,
      warn: { toString: () => "object" },
      alt: null,
      open: ["a"],
      notAKey: "x",
    });
    expect(texts.pending).toBe("<img src=x onerror=alert(1)>");
    expect(texts.refresh).toBe(en.refresh);
    expect(texts.warn).toBe(en.warn);
    expect(texts.alt).toBe(en.alt);
    expect(texts.open).toBe(en.open);
    expect(Object.keys(texts).sort()).toEqual(Object.keys(en).sort());
  });

  it("a JSON __proto__ key neither reaches the prototype nor the texts", () => {
    const served = JSON.parse('{"__proto__": {"pending": "polluted", "polluted": "yes"}}');
    const texts = overTexts(en, served);
    expect(texts.pending).toBe(en.pending);
    expect(Object.getPrototypeOf(texts)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("no object at all (null, a string, an array): the base as it was", () => {
    for (const over of [null, undefined, "pending", ["x"], 42]) {
      expect(overTexts(CATALOGS.ja, over)).toEqual(CATALOGS.ja);
    }
  });
});

describe("wordsFor: catalogs that misbehave", () => {
  let pending: Map<string, (body: unknown) => void>;

  /** A fresh module whose fetch answers each catalog only when the test says so. */
  async function load() {
    vi.resetModules();
    pending = new Map();
    vi.stubGlobal(
      "fetch",
      vi.fn(
        (url: string, init?: RequestInit) =>
          new Promise<Response>((resolve, reject) => {
            // As fetch does: an aborted request rejects, and a later answer is no answer.
            init?.signal?.addEventListener("abort", () =>
              reject(new DOMException("aborted", "AbortError")),
            );
            const lang = /\/sdk\/i18n\/([\w-]+)\./.exec(url)![1]!;
            pending.set(lang, (body) => resolve(new Response(JSON.stringify(body))));
          }),
      ),
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

  it("a served catalog with numbers, objects and markup: English where it holds no text", async () => {
    const wordsFor = await load();
    wordsFor("ja", BASE, () => {});
    pending.get("ja")!({ ...CATALOGS.ja, refresh: 7, warn: { a: 1 }, pending: "<b>x</b>" });
    await vi.advanceTimersByTimeAsync(0);
    const texts = wordsFor("ja", BASE, () => {}).texts!;
    expect(texts.refresh).toBe(en.refresh);
    expect(texts.warn).toBe(en.warn);
    expect(texts.pending).toBe("<b>x</b>");
    expect(texts.alt).toBe(CATALOGS.ja.alt);
  });

  it("a late answer for the language left behind fills that language only", async () => {
    const wordsFor = await load();
    const redraws: string[] = [];
    // The element asked for Japanese, then its lang became Korean before Japanese came.
    expect(wordsFor("ja", BASE, () => redraws.push("ja")).texts).toBeNull();
    expect(wordsFor("ko", BASE, () => redraws.push("ko")).texts).toBeNull();
    pending.get("ja")!(CATALOGS.ja);
    await vi.advanceTimersByTimeAsync(0);
    expect(redraws).toEqual(["ja"]);
    // Korean is still on its way: no Japanese texts under its name.
    expect(wordsFor("ko", BASE, () => {})).toEqual({ lang: "ko", texts: null });
    pending.get("ko")!(CATALOGS.ko);
    await vi.advanceTimersByTimeAsync(0);
    expect(wordsFor("ko", BASE, () => {})).toEqual({ lang: "ko", texts: CATALOGS.ko });
    expect(wordsFor("ja", BASE, () => {})).toEqual({ lang: "ja", texts: CATALOGS.ja });
  });

  it("an answer after the 4 s wait is dropped: the page stays in English, no second request", async () => {
    const wordsFor = await load();
    wordsFor("ar", BASE, () => {});
    await vi.advanceTimersByTimeAsync(4_000);
    pending.get("ar")!(CATALOGS.ar); // too late: the request was aborted
    await vi.advanceTimersByTimeAsync(0);
    expect(wordsFor("ar", BASE, () => {})).toEqual({ lang: "en", texts: en });
    expect(vi.mocked(fetch)).toHaveBeenCalledTimes(1);
  });
});
