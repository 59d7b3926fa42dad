// An endpoint's page, the parts that change it in place (it keeps its id and delivery log): its
// URL, events and description; pause and resume (events are kept while paused and sent once on
// resume); and a new signing secret, shown once, while the old one keeps signing for a chosen time.
import { exportQuery, failingNote, holdNotes } from "./hold-note.js";
import {
  announce,
  api,
  field,
  form,
  h,
  link,
  locale,
  section,
  showErrors,
  t,
  when,
} from "./lib.js";
import { checkboxes, shownOnce } from "./webhooks.js";

/** How long the old secret keeps signing beside the new one, seconds (the API's `expires_in`). */
const KEEP = [86400, 3600, 604800, 0];

/** The status line of an endpoint: active or paused, and a rotation's end. */
function statusLine(w) {
  const badge = w.enabled
    ? h("span", { class: "badge active", text: t("webhook.active") })
    : h("span", { class: "badge paused", text: t("webhook.pausedBadge") });
  const notes = [];
  if (!w.enabled) notes.push(t("webhook.paused"));
  if (w.previous_secret_expires_at)
    notes.push(t("webhook.previousUntil", { when: when(w.previous_secret_expires_at) }));
  return [badge, notes.length ? ` ${notes.join(" ")}` : ""];
}

const count = (n) => new Intl.NumberFormat(locale).format(n);

/**
 * Why it is paused when the breaker did it, what it holds, a pause's bounds, and what a pause did
 * not keep, with the way to those events.
 */
function holdLines(w) {
  const notes = holdNotes(w, t, count, when);
  const failing = failingNote(w, t, when);
  return [
    failing ? h("p", { class: "notice", "data-webhook-failing": "", text: failing }) : null,
    notes.held || notes.limit
      ? h("p", { class: "muted", text: [notes.held, notes.limit].filter(Boolean).join(" · ") })
      : null,
    notes.notKept
      ? h(
          "p",
          { class: "notice", "data-webhook-not-kept": "" },
          `${notes.notKept} `,
          h("a", { href: link(exportQuery(w.hold_expired)), text: t("webhook.hopExport") }),
        )
      : null,
  ].filter(Boolean);
}

/**
 * The controls of endpoint `w` (as `GET /v1/webhooks/:id` answers): `{ status, hold, actions,
 * sections }` to place on its page.
 * `changed(w)` is called with the endpoint as the API answered after each change.
 */
export function endpointControls(w, changed) {
  const path = `/v1/webhooks/${encodeURIComponent(w.id)}`;
  const events = (document.body.dataset.webhookEvents || "").split(" ").filter(Boolean);
  const status = h("p", { class: "status-line", "data-webhook-status": "" });
  const hold = h("div", { "data-webhook-hold": "" });
  const toggle = h("button", { type: "button", "data-action": "pause" });
  const paint = () => {
    status.replaceChildren(...statusLine(w));
    hold.replaceChildren(...holdLines(w));
    toggle.textContent = w.enabled ? t("webhook.pause") : t("webhook.resume");
  };
  toggle.addEventListener("click", async () => {
    if (w.enabled && !confirm(t("webhook.pauseConfirm"))) return;
    const r = await api("PATCH", path, { enabled: !w.enabled });
    if (!r.ok) return announce(r.body.message);
    // The endpoint view again, for what it holds now (the PATCH answer does not count it).
    const now = await api("GET", path);
    w = now.ok ? now.body : { ...w, ...r.body };
    paint();
    announce(
      w.enabled
        ? t("webhook.nowResumedCount", { n: count(r.body.released ?? 0) })
        : t("webhook.nowPaused"),
    );
    changed(w);
  });

  const boxes = checkboxes("events", t("webhook.events"), [
    ["*", t("webhook.allEvents")],
    ...events,
  ]);
  for (const input of boxes.querySelectorAll("input"))
    input.checked = w.events.includes(input.value);
  const edit = form(
    [
      field("url", t("webhook.url"), { required: true, type: "url", value: w.url }),
      field("description", t("webhook.description"), { value: w.description || "" }),
      boxes,
    ],
    t("save"),
    async (values, f) => {
      const chosen = [...f.querySelectorAll("input[name=events]:checked")].map((i) => i.value);
      const r = await api("PATCH", path, {
        url: values.url,
        events: chosen,
        description: values.description || null,
      });
      if (!r.ok) return showErrors(f, r.body);
      w = { ...w, ...r.body };
      paint();
      announce(t("webhook.saved"));
      changed(w);
    },
  );

  const once = h("div");
  const rotate = form(
    [
      field("expires_in", t("webhook.rotateKeep"), {
        options: KEEP.map((s) => [String(s), t(`webhook.keep.${s}`)]),
      }),
    ],
    t("webhook.rotateGo"),
    async (values, f) => {
      if (!confirm(t("webhook.rotateConfirm"))) return;
      const r = await api("POST", `${path}/rotate-secret`, {
        expires_in: Number(values.expires_in),
      });
      if (!r.ok) return showErrors(f, r.body);
      w = { ...w, previous_secret_expires_at: r.body.previous_secret_expires_at };
      paint();
      announce(t("webhook.rotated"));
      once.replaceChildren(shownOnce(t("webhook.newSecret"), r.body.secret));
      once.querySelector("button").focus();
      changed(w);
    },
  );
  paint();
  return {
    status,
    hold,
    actions: [toggle],
    sections: [
      section(t("webhook.edit"), edit),
      section(
        t("webhook.rotate"),
        h("p", { class: "muted", text: t("webhook.rotateLead") }),
        rotate,
        once,
      ),
    ],
  };
}
