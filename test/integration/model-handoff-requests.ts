// The requests of test/integration/model-handoff.test.ts: each operation of the model
// (model-handoff-model.ts) as the phone, the app, a previewer, the PC page or a stranger sends it.
import { ANDROID_APP_UA, type Created, IPHONE_UA, tokenOf } from "./handoffs-helpers";
import { ADMIN_KEY, BASE } from "./helpers";
import type { Cred, Op } from "./model-handoff-ops";

export const ORIGIN = "https://shop.test";
const CLAIMS = { A: "claim-A-0123456789abcdef", B: "claim-B-fedcba9876543210" };
const SLACKBOT = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";

/** What a request is made of: the handoff, the claim a 202 issued, the events credential, the keys. */
export interface Party {
  h: Created;
  issued: string | null;
  session: string | null;
  createdBy: "server" | "page";
  /** The creating secret key, another secret key, and the publishable key (from ORIGIN). */
  keys: { secret: string; other: string; publishable: string };
}

/** A request to the test Worker. */
export function req(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; json?: unknown } = {},
): Request {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  const body = init.json === undefined ? undefined : JSON.stringify(init.json);
  return new Request(path.includes("://") ? path : `${BASE}${path}`, { method, headers, body });
}

/** The request of `op` (its claim already chosen: `issued` means the one a 202 issued). */
export function requestFor(op: Exclude<Op, { op: "alarm" }>, p: Party): Request {
  const token = tokenOf(p.h);
  if (op.op === "landing")
    return req("GET", `/h/${token}`, { headers: { "user-agent": IPHONE_UA } });
  if (op.op === "preview") {
    if (op.bot === "slackbot")
      return req("GET", `/h/${token}`, { headers: { "user-agent": SLACKBOT } });
    const prefetch: Record<string, string> =
      op.bot === "prefetch" ? { "sec-purpose": "prefetch" } : {};
    return req(op.bot === "head" ? "HEAD" : "GET", `/h/${token}`, {
      headers: { "user-agent": IPHONE_UA, ...prefetch },
    });
  }
  if (op.op === "resolve") {
    const ref = op.claim;
    const claim = ref === null ? {} : { claim: ref === "issued" ? p.issued! : CLAIMS[ref] };
    const link =
      op.form === "referrer"
        ? { referrer: `utm_source=qr&qb_ref=H${token}` }
        : {
            url:
              op.form === "url"
                ? p.h.url
                : `qrbridge-demo:///cart?qb_link=${encodeURIComponent(p.h.url)}`,
          };
    return req("POST", "/v1/resolve", {
      headers: { "user-agent": ANDROID_APP_UA },
      json: { ...link, ...claim },
    });
  }
  if (op.op === "event") {
    const proof = op.proof === "session" ? { session: p.session } : { url: p.h.url };
    return req("POST", "/v1/events", {
      headers: { "user-agent": ANDROID_APP_UA },
      json: { type: op.type, ...proof },
    });
  }
  const { headers, watch } = credential(op.cred, p);
  const q = watch ? `?watch=${watch}` : "";
  if (op.op === "get") {
    const poll = op.since ? `${q ? "&" : "?"}wait=1&since=${op.since}` : "";
    return req("GET", `/v1/handoffs/${p.h.id}${q}${poll}`, { headers });
  }
  if (op.op === "cancel") return req("DELETE", `/v1/handoffs/${p.h.id}${q}`, { headers });
  // The PC page sends its watch secret in the body, as the docs show.
  return req("POST", `/v1/handoffs/${p.h.id}/${op.action}`, {
    headers,
    json: watch ? { watch } : {},
  });
}

function credential(cred: Cred, p: Party): { headers: Record<string, string>; watch?: string } {
  const bearer = (key: string, origin = false) => ({
    headers: { authorization: `Bearer ${key}`, ...(origin ? { origin: ORIGIN } : {}) },
  });
  switch (cred) {
    case "watch":
      return { headers: {}, watch: p.h.watch };
    case "forgedWatch":
      return { headers: {}, watch: `${p.h.watch.slice(0, -4)}AAAA` };
    case "creator":
      return p.createdBy === "page" ? bearer(p.keys.publishable, true) : bearer(p.keys.secret);
    case "admin":
      return bearer(ADMIN_KEY);
    case "otherSecret":
      return bearer(p.keys.other);
    case "publishable":
      return bearer(p.keys.publishable, true);
    case "forgedKey":
      return bearer(`qb_sk_${"Z".repeat(40)}`);
    case "none":
      return { headers: {} };
  }
}
