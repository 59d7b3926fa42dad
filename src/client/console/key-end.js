// The mint form's end of a new key: never (the default), a choice of days, or a last day picked
// on a calendar (shown only when chosen). A temporary key is for a contractor or an event: it
// stops by itself, so no one has to remember to revoke it.

import { END_CHOICES, localDay, mintEnd } from "./key-life.js";
import { field, t } from "./lib.js";

/**
 * The end's fields and what a mint asks for from them: `els` go in the form, `read(v, now)`
 * gives `{ at }` (no `at`: never) or an error for `showErrors`, `reset()` goes back to never.
 * @example
 * const end = endFields();
 * form([...fields, ...end.els], …);
 */
export function endFields() {
  const choice = field("expires_at", t("key.end"), {
    options: END_CHOICES.map((c) => [c, t(`key.end.${c || "never"}`)]),
    hint: t("key.endHint"),
  });
  const day = field("expires_on", t("key.endDate"), { type: "date", hint: t("key.endDateHint") });
  const select = choice.querySelector("select");
  const input = day.querySelector("input");
  const sync = () => {
    const picking = select.value === "date";
    day.hidden = !picking;
    // The calendar starts at today: a day already gone is not offered.
    input.min = localDay(Date.now());
    input.required = picking;
  };
  // The day field appears next in the tab order; the focus stays on the choice, so arrowing
  // through the options never jumps away from them.
  select.addEventListener("change", sync);
  sync();
  return {
    els: [choice, day],
    read(v, now) {
      const out = mintEnd(v.expires_at || "", v.expires_on || "", now);
      if (!out.error) return out;
      const message = t(out.error === "past" ? "key.endPast" : "key.endMissing");
      return { error: { message, details: { field: "expires_on" } } };
    },
    reset() {
      select.value = "";
      input.value = "";
      sync();
    },
  };
}
