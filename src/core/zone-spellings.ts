/**
 * IANA's current names for the zones the runtimes' ICU (CLDR) still spells the old way, in one
 * place for the server (core/time-zone.ts stores and answers the new name) and the console's
 * time-zone picker (which lists the browser's names, spelled by the same ICU).
 */

/**
 * The names IANA made primary that the runtime's ICU (CLDR) still answers with their old spelling
 * (`Asia/Kolkata` resolves to `Asia/Calcutta`, `Europe/Kyiv` to `Europe/Kiev`): a shop that picks
 * Kolkata reads Kolkata back, and a runtime whose ICU already answers the new name stores the same.
 * Every other name the runtime resolves to is already IANA's primary one.
 */
export const IANA_PRIMARY: Readonly<Record<string, string>> = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Catamarca": "America/Argentina/Catamarca",
  "America/Coral_Harbour": "America/Atikokan",
  "America/Cordoba": "America/Argentina/Cordoba",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Jujuy": "America/Argentina/Jujuy",
  "America/Louisville": "America/Kentucky/Louisville",
  "America/Mendoza": "America/Argentina/Mendoza",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
};

/**
 * The name the API stores for a zone name as an ICU lists or resolves it: IANA's current one
 * (`Asia/Calcutta` → `Asia/Kolkata`), and `UTC` for every spelling of UTC itself (`Etc/UTC`,
 * `GMT`, `Zulu` …); any other name as it is.
 *
 * @example
 * primaryZoneName("Europe/Kiev") // "Europe/Kyiv"
 * primaryZoneName("Etc/GMT") // "UTC"
 * primaryZoneName("Asia/Tokyo") // "Asia/Tokyo"
 */
export function primaryZoneName(name: string): string {
  if (/^(Etc\/)?(UTC|UCT|GMT|GMT[+-]0|Universal|Zulu|Greenwich)$/i.test(name)) return "UTC";
  return Object.hasOwn(IANA_PRIMARY, name) ? IANA_PRIMARY[name]! : name;
}
