/**
 * The languages qrbridge speaks to people, in the order every surface shows them: the scan
 * pages (pages/i18n.ts), the console (`/dashboard`) and the printed cards (`lang` of the print
 * routes) offer this one list. The `<qr-bridge>` element keeps its own copy (browser code imports
 * nothing from the Worker), tied to this one by test/unit/languages.test.ts.
 */

/**
 * English, Simplified and Traditional Chinese, Japanese, Korean, Spanish, French, German,
 * Portuguese (Brazil), Italian, Indonesian, Vietnamese, Thai, Turkish, Russian, Hebrew and Arabic
 * (the last two right to left).
 *
 * @example
 * LANGUAGES.includes("ja"); // true
 */
export const LANGUAGES = [
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

/** A language of {@link LANGUAGES}. */
export type Language = (typeof LANGUAGES)[number];

/**
 * The languages written right to left: their pages say `dir="rtl"` (the console's frame; the scan
 * pages read it from their catalogs' `doc.dir`, the widget from its own copy, both tied to this
 * one by test/unit/languages.test.ts).
 *
 * @example
 * RIGHT_TO_LEFT.includes("ar"); // true
 */
export const RIGHT_TO_LEFT: readonly Language[] = ["he", "ar"];
