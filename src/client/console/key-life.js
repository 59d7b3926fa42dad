// Where a key is in its life, for the keys page: free of the DOM so it is tested as plain logic.
// What the list says of a key's end, the grace choices of a roll, which keys can still be
// rolled or edited (the API refuses the others with a 409), a new key's end and an edit's scopes.

/** The old key's grace a roll offers, seconds (the API takes 0 to 7 days; a day by default). */
export const GRACE_CHOICES = [0, 3600, 86_400, 604_800];
export const GRACE_DEFAULT = 86_400;

/**
 * A key's state at `now`: revoked, rolled (replaced, maybe still in its grace), expired, or
 * active (which a temporary key with an end to come is too).
 * @param {{ revoked_at: number | null, rolled_to: string | null, expires_at: number | null }} k
 * @param {number} now
 * @returns {"revoked" | "rolled" | "expired" | "active"}
 * @example keyState({ revoked_at: null, rolled_to: null, expires_at: null }, Date.now()) // "active"
 */
export function keyState(k, now) {
  if (k.revoked_at) return "revoked";
  if (k.rolled_to) return "rolled";
  if (k.expires_at !== null && k.expires_at !== undefined && now >= k.expires_at) return "expired";
  return "active";
}

/**
 * A time to come as a person reads it, in `locale`: seconds under a minute, minutes under an
 * hour, hours under two days, else days (rounded down, so "in 23 hr" is never early).
 * @param {number} ms
 * @param {string} locale
 * @example untilText(23.5 * 3_600_000, "en") // "23 hr"
 */
export function untilText(ms, locale) {
  const s = Math.max(1, Math.floor(ms / 1000));
  const [value, unit] =
    s < 60
      ? [s, "second"]
      : s < 3600
        ? [Math.floor(s / 60), "minute"]
        : s < 172_800
          ? [Math.floor(s / 3600), "hour"]
          : [Math.floor(s / 86_400), "day"];
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short" }).format(value);
}

/**
 * What the list says of a key's end: "" for a key without one, "expires in 23 hr" and when for
 * one to come, "Expired" and when once past. `t(key, vars)` gives the words, `when(ms)` a date.
 * @example endNote({ expires_at: now + 3_600_000 }, now, t, "en", when) // "expires in 1 hr · 12/7/2026, 10:33:00 AM"
 */
export function endNote(k, now, t, locale, when) {
  if (k.expires_at === null || k.expires_at === undefined) return "";
  if (now >= k.expires_at) return `${t("key.expired")} ${when(k.expires_at)}`;
  const wait = t("key.expiresIn", { wait: untilText(k.expires_at - now, locale) });
  return `${wait} · ${when(k.expires_at)}`;
}

/** A new key's end the mint form offers: never (""), seconds from now, or a chosen last day. */
export const END_CHOICES = ["", "86400", "604800", "2592000", "7776000", "date"];

/**
 * A day as `<input type="date">` writes it, in the browser's time zone: the first millisecond of
 * that day and of the day after, or null for anything but a real YYYY-MM-DD date.
 * @param {string} day
 * @returns {{ start: number, next: number } | null}
 * @example dayBounds("2026-02-30") // null
 */
export function dayBounds(day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || "");
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const start = new Date(y, mo, d);
  // Date rolls 30 February over into March: such a day is not one.
  if (start.getFullYear() !== y || start.getMonth() !== mo || start.getDate() !== d) return null;
  return { start: start.getTime(), next: new Date(y, mo, d + 1).getTime() };
}

/**
 * The `expires_at` a mint asks for at `now`: none for "never", `now` plus the seconds chosen, or
 * the end of the chosen last day (it works through that whole day, the browser's time), refused
 * when no day is chosen or the day has already ended.
 * @param {string} choice one of END_CHOICES
 * @param {string} day the date field's YYYY-MM-DD (with "date")
 * @param {number} now
 * @returns {{ at?: number, error?: "missing" | "past" }}
 * @example mintEnd("86400", "", 0) // { at: 86_400_000 }
 */
export function mintEnd(choice, day, now) {
  if (!choice) return {};
  if (choice !== "date") return { at: now + Number(choice) * 1000 };
  const bounds = dayBounds(day);
  if (!bounds) return { error: "missing" };
  return bounds.next > now ? { at: bounds.next } : { error: "past" };
}

/**
 * Today as YYYY-MM-DD in the browser's time zone: the first day the date field offers.
 * @param {number} now
 * @example localDay(Date.now()) // "2026-12-07"
 */
export function localDay(now) {
  const d = new Date(now);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The scopes an edit sends: the ticked ones among the key's own, in the key's order (a scope the
 * key lacks is never sent, whatever the page holds), or null when none was unticked.
 * @param {string[]} current the key's scopes
 * @param {string[]} ticked
 * @returns {string[] | null}
 * @example narrowedScopes(["posters:write", "stats:read"], ["stats:read"]) // ["stats:read"]
 */
export function narrowedScopes(current, ticked) {
  const kept = current.filter((s) => ticked.includes(s));
  return kept.length === current.length ? null : kept;
}
