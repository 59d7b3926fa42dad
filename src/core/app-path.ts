/**
 * The one check of an in-app path — a handoff's `path`, a poster's `path` — before the bridge
 * stores it and again before it hands one to an app. Apps and landing pages build
 * `scheme://…` and universal links from it, and clients decode it, so anything that a
 * decoding or normalising client could turn into `//host` or `\host` (an open redirect), or
 * that hides a control character, is refused. Pure.
 */

/** Longest in-app path, characters. */
export const MAX_APP_PATH_LENGTH = 512;

/** What to open when a stored path fails the check (rows written before it was this strict). */
export const FALLBACK_APP_PATH = "/";

// Whitespace, C0/C1 controls, and invisible format characters (zero-width, bidi overrides)
// that make a path read differently from what it is.
const HIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  /[\s\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** Percent-decode byte escapes only, leaving anything else (a lone "%") as it is. */
function decodeEscapes(text: string): string {
  return text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/**
 * Why `path` is not a safe in-app path, or null when it is. Safe: starts with exactly one "/";
 * at most {@link MAX_APP_PATH_LENGTH} characters; no backslash, whitespace, control or
 * invisible characters; and in the part before `?`/`#`, even after percent-decoding (any
 * number of times): no encoded "/" or "\", no control characters, no "." or ".." segment
 * (which a normalising client could collapse into a leading "//").
 *
 * @example
 * appPathProblem("/cart/42?ref=pc")   // null
 * appPathProblem("//evil.example")    // 'must start with a single "/" …'
 * appPathProblem("/%2F%2Fevil.com")   // 'must not encode "/" or "\" …'
 */
export function appPathProblem(path: string): string | null {
  if (path.length === 0 || path.length > MAX_APP_PATH_LENGTH)
    return `must be 1 to ${MAX_APP_PATH_LENGTH} characters`;
  if (path[0] !== "/" || path[1] === "/")
    return 'must start with a single "/" (an in-app path: no scheme, no "//")';
  if (path.includes("\\")) return 'must not contain "\\"';
  if (HIDDEN.test(path)) return "must not contain spaces, control or invisible characters";
  const end = path.search(/[?#]/);
  const raw = end === -1 ? path : path.slice(0, end);
  let decoded = raw;
  for (let round = 0; decodeEscapes(decoded) !== decoded; round++) {
    if (round === 4) return "must not be percent-encoded more than four times over";
    decoded = decodeEscapes(decoded);
  }
  const slashes = (s: string) => s.split("/").length;
  if (slashes(decoded) !== slashes(raw) || decoded.includes("\\"))
    return 'must not encode "/" or "\\" (%2F, %5C) before the query';
  // Escapes are decoded byte by byte, so only ASCII controls are meaningful here (UTF-8
  // continuation bytes of "日" are 0x80–0xBF and no control characters).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(decoded))
    return "must not encode control characters before the query";
  if (decoded.split("/").some((seg) => seg === "." || seg === ".."))
    return 'must not contain "." or ".." segments';
  return null;
}

/**
 * Whether `path` is a safe in-app path (see {@link appPathProblem}).
 *
 * @example
 * isSafeAppPath("/cart/42?ref=pc") // true
 * isSafeAppPath("//evil.example")  // false
 */
export function isSafeAppPath(path: string): boolean {
  return appPathProblem(path) === null;
}

/**
 * The path if it is safe, else {@link FALLBACK_APP_PATH}: for values read back from storage,
 * which may predate the check, so they never reach an app or a link unchecked.
 *
 * @example
 * safeAppPathOrRoot("/menu")            // "/menu"
 * safeAppPathOrRoot("/%2F%2Fevil.com")  // "/"
 */
export function safeAppPathOrRoot(path: string): string {
  return isSafeAppPath(path) ? path : FALLBACK_APP_PATH;
}
