// Where a key is in its life, for the keys page: free of the DOM so it is tested as plain logic.
// What the list says of a key's end, the grace choices of a roll, and which keys can still be
// rolled or edited (the API refuses the others with a 409).

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
 * What the list says of a key's end: "" for a key without one, "expires in 23 hr" for one to
 * come, "Expired" (and when) once past. `t(key, vars)` gives the words, `when(ms)` a date.
 * @example endNote({ expires_at: now + 3_600_000 }, now, t, "en", when) // "expires in 1 hr"
 */
export function endNote(k, now, t, locale, when) {
  if (k.expires_at === null || k.expires_at === undefined) return "";
  if (now >= k.expires_at) return `${t("key.expired")} ${when(k.expires_at)}`;
  return t("key.expiresIn", { wait: untilText(k.expires_at - now, locale) });
}
