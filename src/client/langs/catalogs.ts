/**
 * Every language's texts of `<qr-bridge>`, by tag: the one source of the catalogs. The embed
 * carries English and Simplified Chinese in its own code (i18n.ts); the Worker serves the
 * others, from this module, as `/sdk/i18n/<lang>.<version>.json` (routes/sdk-i18n.ts), and
 * scripts/build-client.mjs hashes this module's JSON into that version.
 */
import type { Lang } from "../i18n";
import { ar } from "./ar";
import { de } from "./de";
import { type Catalog, en } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import { he } from "./he";
import { id } from "./id";
import { it } from "./it";
import { ja } from "./ja";
import { ko } from "./ko";
import { pt } from "./pt";
import { ru } from "./ru";
import { th } from "./th";
import { tr } from "./tr";
import { vi } from "./vi";
import { zh } from "./zh";
import { zhHant } from "./zh-Hant";

export type { Catalog, TextKey } from "./en";

/** Each language's texts, in the order of `LANGS` (a language without texts does not compile). */
export const CATALOGS: Record<Lang, Catalog> = {
  en,
  zh,
  "zh-Hant": zhHant,
  ja,
  ko,
  es,
  fr,
  de,
  pt,
  it,
  id,
  vi,
  th,
  tr,
  ru,
  he,
  ar,
};
