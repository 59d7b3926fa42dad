// Every console language's words, for the build (one words file per language but English,
// scripts/build-client.mjs) and the unit tests. The script itself imports only English
// (page-lang.js); each list is its own file under words/.

import { ar } from "./words/ar.js";
import { de } from "./words/de.js";
import { en } from "./words/en.js";
import { es } from "./words/es.js";
import { fr } from "./words/fr.js";
import { he } from "./words/he.js";
import { id } from "./words/id.js";
import { it } from "./words/it.js";
import { ja } from "./words/ja.js";
import { ko } from "./words/ko.js";
import { pt } from "./words/pt.js";
import { ru } from "./words/ru.js";
import { th } from "./words/th.js";
import { tr } from "./words/tr.js";
import { vi } from "./words/vi.js";
import { zh } from "./words/zh.js";
import { zhHant } from "./words/zh-Hant.js";

export const words = {
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
