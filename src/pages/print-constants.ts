/** What the print routes validate and page by, without the print kit's code (src/print-kit.ts). */

/**
 * Languages of the printed texts: English, Simplified and Traditional Chinese, Japanese, Korean,
 * Hebrew and Arabic (the last two printed right to left).
 */
export const PRINT_LANGS = ["en", "zh", "zh-Hant", "ja", "ko", "he", "ar"] as const;
export type PrintLang = (typeof PRINT_LANGS)[number];

/** Cards on one A4 sheet (3 × 4). */
export const PER_SHEET = 12;
