/** What the print routes validate and page by, without the print kit's code (src/print-kit.ts). */
import { LANGUAGES } from "../core/languages";

/**
 * Languages of the printed texts: the product's one list (core/languages.ts), Hebrew and Arabic
 * printed right to left. The console's picker shows them in this order.
 */
export const PRINT_LANGS = LANGUAGES;
export type PrintLang = (typeof PRINT_LANGS)[number];

/** Cards on one A4 sheet (3 × 4). */
export const PER_SHEET = 12;
