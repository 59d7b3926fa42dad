/**
 * The language of a page a scanner sees, with its words at hand: English and Chinese are in the
 * main bundle; any other language awaits the scan-words kit (routes/lazy-modules.ts) the first
 * time this isolate needs it, so an English scan never loads it.
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { addWords, hasWords, type Lang, pickLanguage } from "../pages/i18n";
import { type ScanWordsKit, scanWordsKit } from "./lazy-modules";

/**
 * The page language of a request (`Accept-Language`, else an in-app browser's User-Agent), its
 * catalog loaded.
 *
 * @example
 * const lang = await scanLanguage(c);
 * return htmlResponse(renderManualEntryPage({ lang, action }, nonce), { nonce });
 */
export function scanLanguage(c: Context<AppEnv>): Promise<Lang> {
  return withWords(pickLanguage(c.req.header("accept-language"), c.req.header("user-agent")));
}

/**
 * `lang` once its words are added to the pages' catalogs; English when the kit cannot be
 * loaded (a page in English beats an error page).
 *
 * @example
 * await withWords("ja"); // "ja", the kit imported (the first time only)
 * await withWords("en"); // "en", nothing imported
 */
export async function withWords(
  lang: Lang,
  load: () => Promise<Pick<ScanWordsKit, "SCAN_WORDS">> = scanWordsKit,
): Promise<Lang> {
  if (hasWords(lang)) return lang;
  try {
    addWords((await load()).SCAN_WORDS);
  } catch (error) {
    console.error("qrbridge: the scan-words kit did not load", error);
  }
  return hasWords(lang) ? lang : "en";
}
