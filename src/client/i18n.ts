/**
 * The languages of the `<qr-bridge>` element: which one a page asks for, and its texts. English
 * and Simplified Chinese are built in; the other catalogs (langs/) would more than double the
 * embed, so each is fetched from the bridge once per page, when an element first needs it (and
 * again a minute after a failure, a few times).
 */
import { withoutBidiControls } from "./bidi-controls";
import { I18N_VERSION } from "./dist/i18n.gen";
import { type Catalog, en, type TextKey } from "./langs/en";
import { zh } from "./langs/zh";

export type { Catalog, TextKey } from "./langs/en";

/** Every language of the element, in the order the product lists them. */
export const LANGS = [
  "en",
  "zh",
  "zh-Hant",
  "ja",
  "ko",
  "es",
  "fr",
  "de",
  "pt",
  "it",
  "id",
  "vi",
  "th",
  "tr",
  "ru",
  "he",
  "ar",
] as const;

export type Lang = (typeof LANGS)[number];

/**
 * What an element draws with: texts and the language they are in. `texts` null: that language's
 * catalog is on its way. English when the catalog could not come.
 */
export interface Words {
  lang: Lang;
  texts: Catalog | null;
}

// How long a page may wait for a catalog before English stands in for it.
const CATALOG_WAIT_MS = 4000;

/**
 * One language of a tag (`pt-BR`, `zh_TW`, `iw`), matched as the product's language list says:
 * Traditional Chinese for `zh-Hant*` and Taiwan, Hong Kong and Macao; the old `iw`/`in` codes of
 * Java and Android for Hebrew and Indonesian; a language not in the list is English.
 *
 * @example
 * langOf("zh-HK") // "zh-Hant"
 * langOf("pt-BR") // "pt"
 * langOf("nl")    // "en"
 */
export function langOf(tag: string): Lang {
  const [first = "", ...rest] = tag.trim().toLowerCase().split(/[-_]/);
  if (first === "zh") {
    if (rest.includes("hant")) return "zh-Hant";
    if (rest.includes("hans")) return "zh";
    return rest.some((s) => s === "tw" || s === "hk" || s === "mo") ? "zh-Hant" : "zh";
  }
  const primary = first === "iw" ? "he" : first === "in" ? "id" : first;
  // Lowercased, a tag never equals "zh-Hant": only the branch above gives it.
  return (LANGS as readonly string[]).includes(primary) ? (primary as Lang) : "en";
}

/**
 * Pick the language: the element's `lang`, else the page's, else the browser's. The first one
 * given decides, even when it is not in the list (English then): a page that says its language
 * is not mixed with the browser's.
 *
 * @example
 * pickLang("es-419", "en", "de-DE") // "es"
 * pickLang(null, "", "zh-TW")       // "zh-Hant"
 */
export function pickLang(...candidates: (string | null | undefined)[]): Lang {
  for (const c of candidates) if (c) return langOf(c);
  return "en";
}

/**
 * Whether a language is written right to left (the Worker's RIGHT_TO_LEFT, core/languages.ts;
 * test/unit/languages.test.ts ties the two).
 *
 * @example
 * isRtl("he") // true
 */
export const isRtl = (lang: Lang): boolean => lang === "he" || lang === "ar";

const catalogs: Partial<Record<Lang, Words>> = {
  en: { lang: "en", texts: en },
  zh: { lang: "zh", texts: zh },
};
/** Catalogs on their way. */
const loading: Partial<Record<Lang, Promise<void>>> = {};
/** Catalogs that could not come: when, and how many more times the page may ask. */
const failed: Partial<Record<Lang, { at: number; left: number }>> = {};
/** URLs of the catalogs asked for, to tell a CSP refusal of one from a refusal of anything else. */
const asked = new Set<string>();
/** A CSP refused a catalog (or the whole bridge): asking again only logs another error. */
let refused = false;

// A catalog that failed (the bridge down or slow) is asked for again this long after, when an
// element next draws, at most RETRIES times a page: a bridge back up gives the page its language
// without a reload, one that stays down costs a request a minute for three minutes.
const RETRY_AFTER_MS = 60_000;
const RETRIES = 3;

/**
 * Note a CSP that refuses the catalogs: a shop that keeps the bridge out of `connect-src` on
 * purpose gets one console error, not one a minute. A browser without the event gets the
 * capped retries.
 */
function watchRefusal(): void {
  // Typed as an EventTarget: the Worker's type-check (which sees this file) has no DOM.
  const page = (globalThis as { document?: EventTarget }).document;
  page?.addEventListener("securitypolicyviolation", (e) => {
    // The catalog's URL, or only its origin (what a browser reports of a cross-origin one).
    const blocked = (e as Event & { blockedURI?: string }).blockedURI;
    for (const url of asked)
      if (blocked && (blocked === url || url.startsWith(`${blocked}/`))) refused = true;
  });
}

function load(lang: Lang, base: string): void {
  const url = `${base}/sdk/i18n/${lang}.${I18N_VERSION}.json`;
  if (!asked.size) watchRefusal();
  asked.add(url);
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), CATALOG_WAIT_MS);
  loading[lang] = fetch(url, { signal: stop.signal })
    .then((r): Promise<unknown> => (r.ok ? r.json() : Promise.reject(r.status)))
    .then(
      (j) => {
        // Over English: a key a served catalog lacks (or holds no text for) still has words.
        catalogs[lang] = { lang, texts: overTexts(en, j) };
        delete failed[lang];
      },
      () => {
        catalogs[lang] = { lang: "en", texts: en };
        failed[lang] = { at: Date.now(), left: (failed[lang]?.left ?? RETRIES + 1) - 1 };
      },
    )
    .then(() => {
      clearTimeout(timer);
      delete loading[lang];
    });
}

/**
 * A language's texts: at once when built in or already here; else none yet (`texts: null`), with
 * the catalog fetched once for the whole page from `base` (the bridge) and `redraw` called when
 * it is here.
 * A catalog that cannot come (the bridge down or slower than 4 s) leaves English, and is asked
 * for again when an element draws a minute later, up to three times a page; one a CSP refuses
 * (the bridge not in `connect-src`) is not asked for again.
 *
 * @example
 * wordsFor("ja", "https://qr.example.com", redraw); // {lang: "ja", texts: null}, then the texts
 */
export function wordsFor(lang: Lang, base: string, redraw: () => void): Words {
  const miss = failed[lang];
  const again = miss && miss.left > 0 && !refused && Date.now() - miss.at >= RETRY_AFTER_MS;
  if ((!catalogs[lang] || again) && !loading[lang]) load(lang, base);
  void loading[lang]?.then(redraw);
  // English stays while a failed catalog is asked for again.
  return catalogs[lang] ?? { lang, texts: null };
}

/**
 * `base` with the texts of `over` in its place: only strings, and only under `base`'s keys
 * (a number, an object, `__proto__` or a key no element reads is left out).
 *
 * @example
 * overTexts(en, { pending: "Scan me", refresh: 5 }) // en, its pending "Scan me"
 */
export function overTexts(base: Catalog, over: unknown): Catalog {
  const texts = { ...base };
  const o = (over ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(base) as TextKey[]) {
    const v = Object.hasOwn(o, k) ? o[k] : undefined;
    if (typeof v === "string") texts[k] = v;
  }
  return texts;
}

/**
 * A text with its `{placeholders}` filled (an unknown one is left empty, a value's explicit
 * bidi controls dropped). In a right-to-left language each value is isolated (U+2068 …
 * U+2069, what `<bdi>` does): a device name such as "iOS 17.5", or the countdown's "1:30",
 * stays one left-to-right run, its dot not thrown to the other end of the sentence. `texts` null (a catalog on its way): every text is empty.
 *
 * @example
 * t(zh, "expiresIn", { t: "1:30" }) // "1:30 后过期"
 */
export function t(
  texts: Catalog | null,
  key: TextKey,
  vars: Record<string, string> = {},
  rtl = false,
): string {
  return String(texts?.[key] ?? "").replace(/\{(\w+)\}/g, (_, k: string) => {
    // Only the value's own: a shop's "{constructor}" is no placeholder. Its explicit bidi
    // controls dropped: a stray U+2069 would end the isolate, a U+202E then turn the rest round.
    const v = Object.hasOwn(vars, k) ? withoutBidiControls(String(vars[k] ?? "")) : "";
    return rtl && v ? `\u2068${v}\u2069` : v;
  });
}

/**
 * A short name of the scanning device for "Scanned on …": its OS (or model), else nothing.
 *
 * @example
 * deviceName({ platform: "ios", os: "iOS 17.5" }) // "iOS 17.5"
 */
export function deviceName(d: unknown): string {
  if (typeof d === "string") return d;
  const o = (d ?? {}) as Record<string, unknown>;
  const v = o.model ?? o.os ?? o.name ?? o.platform;
  return typeof v === "string" && v !== "other" && v !== "desktop" ? v : "";
}
