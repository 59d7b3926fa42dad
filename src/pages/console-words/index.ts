/**
 * The server-written words of every console language (the type checker makes sure each of
 * `CONSOLE_LANGS` has its file here; the script's words are src/client/console/words/).
 */
import type { ConsoleLang } from "../i18n";
import { AR } from "./ar";
import { DE } from "./de";
import { type ConsolePageWords, EN } from "./en";
import { ES } from "./es";
import { FR } from "./fr";
import { HE } from "./he";
import { ID } from "./id";
import { IT } from "./it";
import { JA } from "./ja";
import { KO } from "./ko";
import { PT } from "./pt";
import { RU } from "./ru";
import { TH } from "./th";
import { TR } from "./tr";
import { VI } from "./vi";
import { ZH } from "./zh";
import { ZH_HANT } from "./zh-Hant";

export type { ConsolePageWords } from "./en";

export const CONSOLE_PAGE_WORDS: Record<ConsoleLang, ConsolePageWords> = {
  en: EN,
  zh: ZH,
  "zh-Hant": ZH_HANT,
  ja: JA,
  ko: KO,
  es: ES,
  fr: FR,
  de: DE,
  pt: PT,
  it: IT,
  id: ID,
  vi: VI,
  th: TH,
  tr: TR,
  ru: RU,
  he: HE,
  ar: AR,
};
