/**
 * What `<qr-bridge>` (embed.ts) promises a page: the body it creates a code with, from its
 * attributes and properties, and the `qrbridge:*` events a status change fires. The element
 * itself keeps the timers, the watch and the view.
 */
import { parseJson } from "./watch";

// The bridge's link marker (core/app-via.ts `VIA_PARAM`, `SAME_DEVICE`), spelled here: browser
// code imports nothing of the Worker's (ARCHITECTURE.md); a unit test ties the two.
const VIA_PARAM = "qb_via";
const SAME_DEVICE = "same_device";

/** Detail of the `qrbridge:*` events. */
export interface QrBridgeEventDetail {
  id: string | null;
  status: string;
  device?: unknown;
  code?: string;
  message?: string;
  /** `qrbridge:approved` (login): post both to your backend, which exchanges them. */
  ticket?: string;
  code_verifier?: string;
}

/** A login's states after which the page has nothing left to wait for. */
export const LOGIN_FINAL = new Set(["approved", "denied", "expired", "exchanged", "burnt"]);

/** The element's inputs: its attributes, and the properties that may stand in for two of them. */
export interface CodeSource {
  getAttribute(name: string): string | null;
  payload: unknown;
  metadata: Record<string, string> | undefined;
}

/**
 * The body of the request that creates the element's handoff (or, for a login, its QR login:
 * no path, payload or confirm, which a login does not take). A property set in script wins
 * over its attribute.
 *
 * @example
 * createBody(element, false); // { ttl: 60, metadata: undefined, path: "/cart/42", payload: {…}, confirm: undefined }
 */
export function createBody(el: CodeSource, login: boolean): Record<string, unknown> {
  const ttl = Number(el.getAttribute("ttl"));
  const body: Record<string, unknown> = {
    ttl: ttl > 0 ? ttl : undefined,
    metadata: el.metadata ?? parseJson(el.getAttribute("metadata")),
  };
  if (!login) {
    body.path = el.getAttribute("path") ?? undefined;
    body.payload = el.payload ?? parseJson(el.getAttribute("payload"));
    body.confirm = el.getAttribute("confirm") === "pc" ? "pc" : undefined;
  }
  return body;
}

/**
 * The events a change to `status` fires, in order, each with what it adds to the detail:
 * always `qrbridge:status`; then `qrbridge:scanned`, `qrbridge:expired` and
 * `qrbridge:redeemed` (a login: `qrbridge:denied`); and for an approved login,
 * `qrbridge:approved` with the ticket and the page's PKCE verifier (an error without a ticket).
 *
 * @example
 * for (const [type, extra] of statusEvents("approved", true, ticket, verifier)) emit(type, extra);
 */
export function statusEvents(
  status: string,
  login: boolean,
  ticket: string | undefined,
  verifier: string,
): [string, Partial<QrBridgeEventDetail>][] {
  const events: [string, Partial<QrBridgeEventDetail>][] = [["qrbridge:status", {}]];
  if (["scanned", "expired", login ? "denied" : "redeemed"].includes(status)) {
    events.push([`qrbridge:${status}`, {}]);
  }
  if (login && status === "approved") {
    events.push(
      ticket
        ? ["qrbridge:approved", { ticket, code_verifier: verifier }]
        : ["qrbridge:error", { code: "no_ticket", message: "approved, no ticket" }],
    );
  }
  return events;
}

/** What {@link onPhone} reads of `navigator`. */
export interface NavigatorLike {
  userAgent: string;
  maxTouchPoints?: number;
  userAgentData?: { mobile?: boolean };
}

/**
 * Whether the page is open on a phone or tablet, where a QR to scan with that same device is
 * useless: the element then offers a link that opens the code's page (and so the app) on it.
 * iPadOS reports a Mac's user agent, told apart by its touch points.
 *
 * @example
 * onPhone(navigator) // true on an iPhone, an Android phone or tablet, an iPad
 */
export function onPhone(n: NavigatorLike): boolean {
  return (
    !!n.userAgentData?.mobile ||
    /Android|iPhone|iPad|iPod|Mobile/.test(n.userAgent) ||
    (/Macintosh/.test(n.userAgent) && (n.maxTouchPoints ?? 0) > 1)
  );
}

/**
 * The link a phone is offered for the code on display, `url` (the bridge's `/h/<token>`): a
 * handoff's is marked `qb_via=same_device`, a tap on the phone that shows the code, which the
 * funnel counts apart from a scan by a second device (a login's link is the app's alone, as it
 * was). The marker is a label, never a capability: the signed token in the path is left as it
 * is. Anything but an http(s) URL (a backend's bad answer) gives "": no link rather than a
 * `javascript:` one.
 *
 * @example
 * phoneLink("HTTPS://QR.EXAMPLE.COM/H/8QK3T0M1", false) // "https://qr.example.com/H/8QK3T0M1?qb_via=same_device"
 * phoneLink(undefined, false)                          // ""
 */
export function phoneLink(url: string | undefined, login: boolean): string {
  try {
    const u = new URL(url ?? "");
    if (!/^https?:$/.test(u.protocol)) return "";
    if (!login) u.searchParams.set(VIA_PARAM, SAME_DEVICE);
    return u.href;
  } catch {
    return "";
  }
}
