/** What the print routes validate and page by, without the print kit's code (src/print-kit.ts). */

/**
 * Languages of the printed texts: English, Simplified and Traditional Chinese, Japanese, Korean,
 * Spanish, French, German, Portuguese (Brazil), Italian, Indonesian, Vietnamese, Thai, Turkish,
 * Russian, Hebrew and Arabic (the last two printed right to left). The order is the one the
 * console's picker shows (and the other surfaces' language lists keep).
 */
export const PRINT_LANGS = [
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
export type PrintLang = (typeof PRINT_LANGS)[number];

/** Cards on one A4 sheet (3 × 4). */
export const PER_SHEET = 12;
