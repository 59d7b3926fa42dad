// The audit log page's plain logic, free of the DOM so it is tested as such: the API query its
// filter form asks for, and how one entry reads (what was done, to what, what changed).

/** The kinds of item the log names (`subject_type`), as `GET /v1/audit-log` filters them. */
export const AUDIT_SUBJECTS = ["key", "poster", "store", "campaign", "webhook", "dead_letter"];

/** Console pages of an item, by its kind: the others (keys, dead letters) have a list only. */
const PAGES = { poster: "posters", store: "stores", campaign: "campaigns", webhook: "webhooks" };

/** The start of a `YYYY-MM-DD` day in the browser's time zone (unix ms), `days` later. */
function dayStart(day, days = 0) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || "");
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).getTime();
}

/**
 * The query of `GET /v1/audit-log` for the filter form's values: the days are the browser's
 * (the page shows times in its zone), `to` included (the API's `to` is exclusive: the next day's
 * start); empty values left out. An id without its kind is sent as typed, for the API to refuse
 * in words: dropped here, the list would quietly show every item's changes.
 * @param {{ subject_type?: string, subject_id?: string, actor?: string, from?: string, to?: string }} v
 * @returns {Record<string, string | number | undefined>}
 * @example
 * auditQuery({ subject_type: "poster", subject_id: " 7K2M9Q ", from: "2026-12-01" })
 * // { subject_type: "poster", subject_id: "7K2M9Q", actor: undefined, from: <Dec 1 00:00 local>, to: undefined }
 */
export function auditQuery(v) {
  const type = AUDIT_SUBJECTS.includes(v.subject_type) ? v.subject_type : undefined;
  const id = (v.subject_id || "").trim();
  return {
    subject_type: type,
    subject_id: id || undefined,
    actor: (v.actor || "").trim() || undefined,
    from: dayStart(v.from),
    to: dayStart(v.to, 1),
  };
}

/**
 * The word key of an action's verb (`audit.a.update` for "poster.update"): the kind of item is
 * said apart (`audit.s.poster`), so 13 actions need 6 verbs in each language.
 * @param {string} action
 * @example actionWord("dead_letters.replay") // "audit.a.replay"
 */
export function actionWord(action) {
  return `audit.a.${String(action).split(".").at(-1)}`;
}

/**
 * The console page of an entry's item, or null when it has none (a key, a dead letter).
 * @param {string} type
 * @param {string} id
 * @example subjectPath("store", "st_1") // "/stores/st_1"
 */
export function subjectPath(type, id) {
  return Object.hasOwn(PAGES, type) ? `/${PAGES[type]}/${encodeURIComponent(id)}` : null;
}

/** A kept value as text: strings as they are, anything else as its JSON. */
const shown = (value) => (typeof value === "string" ? value : JSON.stringify(value));

/**
 * What a change set, as one line: each field, with its new value where the log kept one (a long
 * value or a store's metadata is named only).
 * @param {{ fields: string[], values: Record<string, unknown> }} changes
 * @example
 * changeSummary({ fields: ["status", "metadata"], values: { status: "paused" } })
 * // "status: paused · metadata"
 */
export function changeSummary(changes) {
  const values = changes?.values || {};
  return (changes?.fields || [])
    .map((f) => (Object.hasOwn(values, f) ? `${f}: ${shown(values[f])}` : f))
    .join(" · ");
}

/**
 * Who made entry `e`, as its row says: a change the bridge made itself (the webhook circuit
 * breaker's pause, actor `system`) by that name alone, else the key's name (or id, or the admin
 * key) and how it came in. `names` maps key ids to names; `t` gives the words.
 * @example actorText({ actor: "system", via: "api" }, new Map(), t) // "qrbridge (automatic)"
 */
export function actorText(e, names, t) {
  if (e.actor === "system") return t("audit.system");
  const name = e.actor === "admin" ? t("audit.admin") : (names.get(e.actor) ?? e.actor);
  return `${name} · ${t(`audit.via.${e.via}`)}`;
}
