// What the delivery log says about a delivery's retries: when the next try is due and how many
// are left, or how many were made before giving up. Pure (words and clock are given), so the
// unit tests read it as the console shows it.

/**
 * A wait as a person reads it, in `locale`: seconds under a minute, minutes under an hour,
 * else hours (one decimal).
 * @example waitText(240_000, "en") // "4 min"
 */
export function waitText(ms, locale) {
  const s = Math.max(1, Math.round(ms / 1000));
  const [value, unit] =
    s < 60
      ? [s, "second"]
      : s < 3600
        ? [Math.round(s / 60), "minute"]
        : [Math.round(s / 360) / 10, "hour"];
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short" }).format(value);
}

/**
 * The retry line under a delivery's status, "" when there is nothing to say (delivered, or
 * failed before any try). `t(key, vars)` gives the words (lib.js), `now` the browser's clock.
 * @example retryNote({ status: "retrying", next_attempt_at: now + 240_000, attempts_left: 6 }, now, t, "en")
 * // "next try in 4 min · 6 tries left"
 */
export function retryNote(d, now, t, locale) {
  if (d.status === "failed")
    return d.attempts > 0
      ? t(d.attempts === 1 ? "delivery.gaveUp1" : "delivery.gaveUp", { n: d.attempts })
      : "";
  if (d.status !== "pending" && d.status !== "retrying") return "";
  const next =
    d.next_attempt_at === null || d.next_attempt_at === undefined
      ? ""
      : d.next_attempt_at > now
        ? t("delivery.nextIn", { wait: waitText(d.next_attempt_at - now, locale) })
        : t("delivery.nextNow");
  const left = t(d.attempts_left === 1 ? "delivery.left1" : "delivery.left", {
    n: d.attempts_left,
  });
  return next ? `${next} · ${left}` : left;
}
