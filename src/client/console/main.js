// The console's one script (built into a content-hashed file by scripts/build-client.mjs): it
// draws the view the server's frame names in `data-view`, and runs the language switch.
import { auditLogView } from "./audit-log.js";
import { funnelPage } from "./funnel.js";
import { importView } from "./import.js";
import { deadLettersView, keysView } from "./keys.js";
import { posterView } from "./poster-page.js";
import { postersView } from "./posters.js";
import { campaignsView, campaignView, storesView, storeView } from "./stores.js";
import { webhooksView, webhookView } from "./webhooks.js";

const VIEWS = {
  stores: storesView,
  store: storeView,
  campaigns: campaignsView,
  campaign: campaignView,
  posters: postersView,
  poster: posterView,
  import: importView,
  webhooks: webhooksView,
  webhook: webhookView,
  keys: keysView,
  "dead-letters": deadLettersView,
  "audit-log": auditLogView,
};

// The switch (a <select> of every console language, by its own name) only stores a preference
// in the browser; the server reads it on the next page and ignores a value it does not offer.
for (const select of document.querySelectorAll("select[data-set-lang]"))
  select.addEventListener("change", () => {
    const secure = location.protocol === "https:" ? "; Secure" : "";
    const chosen = encodeURIComponent(select.value);
    // biome-ignore lint/suspicious/noDocumentCookie: one preference, read by the server; the Cookie Store API is not in every browser
    document.cookie = `qb_lang=${chosen}; Path=/; Max-Age=31536000; SameSite=Strict${secure}`;
    location.reload();
  });

const { view, id } = document.body.dataset;
// The server marks a view busy only when the session may open it (else it shows why not).
const allowed = document.getElementById("view")?.getAttribute("aria-busy") === "true";
if (view === "funnel") funnelPage();
else if (VIEWS[view] && allowed) VIEWS[view](id);
