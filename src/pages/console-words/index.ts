/**
 * The server-written words of every console language (the type checker makes sure each of
 * `CONSOLE_LANGS` has its file here; the script's words are src/client/console/words/).
 */
import type { ConsoleLang } from "../i18n";
import { type ConsolePageWords, EN } from "./en";
import { ES } from "./es";
import { JA } from "./ja";
import { ZH } from "./zh";
import { ZH_HANT } from "./zh-Hant";

export type { ConsolePageWords } from "./en";

export const CONSOLE_PAGE_WORDS: Record<ConsoleLang, ConsolePageWords> = {
  en: EN,
  zh: ZH,
  "zh-Hant": ZH_HANT,
  ja: JA,
  es: ES,
};
