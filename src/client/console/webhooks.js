// Webhooks: register an endpoint for chosen events (its signing secret shown once), and on an
// endpoint's page send a test event, read the delivery log with every attempt (and when a failing
// one is tried next, or when it gave up), retry a failed or retrying delivery, remove the endpoint.
import { retryNote } from "./delivery-retry.js";
import {
  announce,
  api,
  field,
  form,
  h,
  link,
  locale,
  mount,
  query,
  section,
  showErrors,
  t,
  when,
} from "./lib.js";
import { labelCells, pagedTable, stackedTable } from "./tables.js";
import { endpointControls } from "./webhook-edit.js";

/** A secret or key shown once, with a copy button. */
export function shownOnce(title, secret) {
  const copy = h("button", {
    type: "button",
    text: t("copy"),
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(secret);
        announce(t("copied"));
      } catch {
        announce(t("copy.failed"));
      }
    },
  });
  return h(
    "div",
    { class: "once", role: "alert" },
    h("h3", { text: title }),
    h("p", { text: t("once.lead") }),
    h("p", { class: "secret" }, h("code", { class: "code", text: secret }), copy),
  );
}

/**
 * Checkboxes named `name`, one per value (or `[value, label]` when the value alone says too
 * little), in a fieldset with a legend.
 */
export function checkboxes(name, legend, values) {
  return h(
    "fieldset",
    { class: "field checks", "data-field": name },
    h("legend", { text: legend }),
    ...values.map((v) => {
      const [value, label] = Array.isArray(v) ? v : [v, v];
      return h("label", {}, h("input", { type: "checkbox", name, value }), ` ${label}`);
    }),
    h("p", { class: "field-error" }),
  );
}

/** /dashboard/webhooks */
export async function webhooksView() {
  const events = (document.body.dataset.webhookEvents || "").split(" ").filter(Boolean);
  const list = h("tbody");
  const once = h("div");
  async function load() {
    const r = await api("GET", "/v1/webhooks");
    if (!r.ok) return announce(r.body.message);
    list.replaceChildren(
      ...r.body.webhooks.map((w) =>
        h(
          "tr",
          {},
          h(
            "td",
            { class: "code" },
            h("a", { href: link(`/webhooks/${w.id}`), text: w.url }),
            w.enabled
              ? null
              : [" ", h("span", { class: "badge paused", text: t("webhook.pausedBadge") })],
          ),
          h("td", { text: w.events.join(", ") }),
          h("td", { text: w.description || "" }),
          h("td", { text: when(w.created_at) }),
        ),
      ),
    );
    if (!r.body.webhooks.length)
      list.append(h("tr", {}, h("td", { colspan: 4, class: "muted", text: t("webhooks.none") })));
    labelCells(list);
  }
  const create = form(
    [
      field("url", t("webhook.url"), { required: true, type: "url", placeholder: "https://" }),
      field("description", t("webhook.description")),
      checkboxes("events", t("webhook.events"), [["*", t("webhook.allEvents")], ...events]),
    ],
    t("webhook.create"),
    async (_, f) => {
      const chosen = [...f.querySelectorAll("input[name=events]:checked")].map((i) => i.value);
      const r = await api("POST", "/v1/webhooks", {
        url: f.elements.url.value.trim(),
        events: chosen,
        description: f.elements.description.value.trim() || undefined,
      });
      if (!r.ok) return showErrors(f, r.body);
      f.reset();
      announce(t("webhook.created"));
      once.replaceChildren(shownOnce(t("webhook.secret"), r.body.secret));
      once.querySelector("button").focus();
      await load();
    },
  );
  const headings = ["webhook.url", "webhook.events", "webhook.description", "created"].map((k) =>
    t(k),
  );
  mount(
    h("h1", { text: t("nav.webhooks") }),
    section(t("webhook.new"), create, once),
    section(t("nav.webhooks"), stackedTable(headings, list)),
  );
  await load();
}

/** When a delivery is tried next and how many tries it has left, or when it gave up. */
function retryLine(d) {
  const text = retryNote(d, Date.now(), t, locale);
  return text ? h("div", { class: "muted retry-note", text }) : null;
}

/** /dashboard/webhooks/{id} */
export async function webhookView(id) {
  const path = `/v1/webhooks/${encodeURIComponent(id)}`;
  // The endpoint view: with what it holds and what a pause did not keep. A deleted one's page
  // keeps only its log, as before.
  const one = await api("GET", path);
  const w = one.ok && one.body.disabled_at === null ? one.body : null;
  const detail = h("div", { class: "attempts", tabindex: "-1" });
  const log = pagedTable(
    [
      t("delivery.event"),
      t("delivery.status"),
      t("delivery.attempts"),
      t("delivery.last"),
      t("created"),
      "",
    ],
    async (cursor) => {
      const r = await api("GET", `${path}/deliveries${query({ cursor, limit: 20 })}`);
      return {
        ok: r.ok,
        body: r.body,
        items: r.body.deliveries || [],
        next_cursor: r.body.next_cursor,
      };
    },
    (d) =>
      h(
        "tr",
        { "data-delivery": d.id },
        h("td", { class: "code", text: d.event_type }),
        h(
          "td",
          {},
          h("span", { class: `badge ${d.status}`, text: t(`delivery.${d.status}`) }),
          retryLine(d),
        ),
        h("td", { text: String(d.attempts) }),
        h("td", {
          text: d.last_error || (d.last_status_code ? `HTTP ${d.last_status_code}` : "–"),
        }),
        h("td", { text: when(d.created_at) }),
        h(
          "td",
          { class: "actions" },
          h("button", { type: "button", text: t("delivery.show"), onclick: () => showAttempts(d) }),
          // A retrying delivery too: an operator who just fixed the receiver need not wait for
          // the backoff (the tries it spends still count toward its limit); and one a pause did
          // not keep, to send that one after all once resumed.
          d.status === "failed" || d.status === "retrying" || d.status === "expired"
            ? h("button", { type: "button", text: t("delivery.retry"), onclick: () => retry(d) })
            : null,
        ),
      ),
    t("deliveries.none"),
  );
  async function showAttempts(d) {
    const r = await api("GET", `${path}/deliveries/${encodeURIComponent(d.id)}`);
    if (!r.ok) return announce(r.body.message);
    detail.replaceChildren(
      h("h3", { text: `${d.event_type} · ${d.id}` }),
      h(
        "ol",
        {},
        ...r.body.attempt_log.map((a) =>
          h("li", {
            text: `${when(a.at)} — ${a.status_code ? `HTTP ${a.status_code}` : a.error || "–"} (${a.duration_ms} ms)`,
          }),
        ),
      ),
      h("pre", { class: "code", text: r.body.payload }),
    );
    detail.focus();
  }
  async function retry(d) {
    const r = await api("POST", `${path}/deliveries/${encodeURIComponent(d.id)}/retry`);
    announce(r.ok ? t("delivery.retried") : r.body.message);
    await log.reload();
  }
  const test = h("button", {
    type: "button",
    class: "primary",
    text: t("webhook.test"),
    onclick: async () => {
      const r = await api("POST", `${path}/test`);
      announce(r.ok ? t("webhook.tested") : r.body.message);
      await log.reload();
    },
  });
  const refresh = h("button", { type: "button", text: t("refresh"), onclick: () => log.reload() });
  const remove = h("button", {
    type: "button",
    class: "danger",
    text: t("webhook.remove"),
    onclick: async () => {
      if (!confirm(t("webhook.removeConfirm"))) return;
      const r = await api("DELETE", path);
      if (!r.ok) return announce(r.body.message);
      location.assign(link("/webhooks"));
    },
  });
  const title = h("h1", { class: "code", text: w ? w.url : id });
  const subscribed = h("p", { class: "muted" });
  const show = (e) => {
    title.textContent = e.url;
    subscribed.textContent = `${t("webhook.events")}: ${e.events.join(", ")}`;
  };
  const controls = w ? endpointControls(w, show) : null;
  if (w) show(w);
  mount(
    h("p", { class: "crumbs" }, h("a", { href: link("/webhooks"), text: t("nav.webhooks") })),
    title,
    w ? subscribed : null,
    controls?.status,
    controls?.hold,
    h("div", { class: "actions" }, test, refresh, ...(controls?.actions ?? []), w ? remove : null),
    section(t("deliveries"), log.el, detail),
    ...(controls?.sections ?? []),
  );
  await log.reload();
}
