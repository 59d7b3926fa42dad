// The driver of the QR login model test: the phones' wallets that turn a command
// (model-login-commands.ts) into a concrete call, the requests of those calls, and the Worker
// they go to, with its hops captured and its rate limiters open (the model is about the login,
// not the budgets).
import { runDurableObjectAlarm } from "cloudflare:test";
import { base64url, s256Challenge, signTicket } from "../../src/core/login-ticket";
import { ANDROID_APP_UA, DESKTOP_UA, IPHONE_UA, signedToken } from "./handoffs-helpers";
import { ADMIN_KEY, atClock, BASE, call, hopCapturingWorker, testKeyring } from "./helpers";
import { loginStubOf, newVerifier } from "./logins-helpers";
import type { Cmd, HandleOf } from "./model-login-commands";
import {
  type Call,
  type Caller,
  deadlineOf,
  type Link,
  type LoginModel,
  type Phone,
  purgeAtOf,
  type Seen,
} from "./model-login-model";

export const ORIGIN = "https://shop.example";
/** The PC, phone A on its network (same /24), phone B elsewhere. */
const IP = { pc: "203.0.113.10", A: "203.0.113.77", B: "198.51.100.23" } as const;
const UA = { A: ANDROID_APP_UA, B: IPHONE_UA } as const;

export interface Keys {
  backend: { id: string; key: string };
  other: { id: string; key: string };
  publishable: { id: string; key: string };
}

async function mint(kind: "secret" | "publishable", scopes: string[], origins?: string[]) {
  const res = await call("/v1/keys", {
    method: "POST",
    key: ADMIN_KEY,
    json: { name: `model ${kind}`, kind, scopes, origins },
  });
  if (res.status !== 201) throw new Error(`mint: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; key: string };
}

export async function mintKeys(): Promise<Keys> {
  return {
    backend: await mint("secret", ["logins:write"]),
    other: await mint("secret", ["logins:write"]),
    publishable: await mint("publishable", ["logins:write"], [ORIGIN]),
  };
}

const open = { limit: async () => ({ success: true }) };
/** The Worker of these tests: hops captured, limiters open. */
export const modelWorker = () =>
  hopCapturingWorker({ LOGIN_LIMITER: open, PUBLIC_LIMITER: open, LOGIN_EXCHANGE_LIMITER: open });

const madeUp = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** One run's login as the PC page made it, and what each party holds. */
export interface Run {
  id: string;
  url: string;
  watch: string;
  verifier: string;
  ticket: string;
  createdBy: "page" | "server";
  expiresAt: number;
  claims: Record<Phone, string>;
  /** Each phone's latest handle, and the handles it held before. */
  wallet: { A: string | null; B: string | null; stale: string[] };
}

export async function createRun(
  send: (r: Request) => Promise<Response>,
  keys: Keys,
  setup: { creator: "publishable" | "backend"; ttl?: number },
  t: number,
): Promise<Run> {
  const verifier = newVerifier();
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": DESKTOP_UA,
    "cf-connecting-ip": IP.pc,
    authorization: `Bearer ${keys[setup.creator].key}`,
  };
  if (setup.creator === "publishable") headers.origin = ORIGIN;
  const body = { code_challenge: await s256Challenge(verifier), ttl: setup.ttl };
  const res = await atClock(t, () =>
    send(new Request(`${BASE}/v1/logins`, { method: "POST", headers, body: JSON.stringify(body) })),
  );
  if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
  const made = (await res.json()) as { id: string; url: string; watch: string; expires_at: number };
  return {
    ...made,
    verifier,
    ticket: await signTicket(await testKeyring(), made.id),
    createdBy: setup.creator === "publishable" ? "page" : "server",
    expiresAt: made.expires_at,
    claims: { A: `claim-of-phone-A-${made.id}`, B: `claim-of-phone-B-${made.id}` },
    wallet: { A: null, B: null, stale: [] },
  };
}

const SUBJECTS = ["user-1", "user-2"];
const CLAIMS = [undefined, { role: "admin", mfa: true }];

/** The concrete call of a request command, with what the phones hold now. */
export function concrete(cmd: Cmd, run: Run): Call {
  const h = (of: HandleOf) =>
    (of === "A" || of === "B" ? run.wallet[of] : of === "stale" ? run.wallet.stale.at(-1) : null) ??
    madeUp();
  switch (cmd.k) {
    case "scan": {
      const claim =
        cmd.claim === "mine"
          ? run.claims[cmd.phone]
          : cmd.claim === "fresh"
            ? `fresh-${madeUp()}`
            : null;
      return { op: "scan", phone: cmd.phone, claim, link: cmd.link };
    }
    case "open":
      return { op: "open", link: cmd.link };
    case "approve":
      return {
        op: "approve",
        by: cmd.by,
        handle: h(cmd.handle),
        subject: SUBJECTS[cmd.subject]!,
        ...(CLAIMS[cmd.claims] ? { claims: CLAIMS[cmd.claims] } : {}),
        ...(cmd.sameNet ? { sameNet: true as const } : {}),
      };
    case "deny":
      return { op: "deny", by: cmd.by, handle: h(cmd.handle) };
    case "get":
      return { op: "get", as: cmd.as };
    case "exchange":
      return {
        op: "exchange",
        by: cmd.by,
        ticket: cmd.ticket,
        verifier: cmd.verifier,
        ...(cmd.approvedBy ? { approvedBy: cmd.approvedBy } : {}),
      };
    default:
      throw new Error(`not a request: ${cmd.k}`);
  }
}

/** The URL of a link: the login's, forged, or this login's expired a second ago. */
async function linkOf(link: Link, run: Run, t: number): Promise<string> {
  if (link === "real") return run.url;
  if (link === "forged") return `${run.url.slice(0, -1)}${run.url.endsWith("0") ? "1" : "0"}`;
  return `${BASE}/l/${await signedToken(Math.floor(t / 1000) - 1, run.id, "l")}`;
}

/** The HTTP request of a call. */
export async function requestOf(c: Call, run: Run, keys: Keys, t: number): Promise<Request> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const auth = (by: Caller | "watch" | "wrong_watch") => {
    if (by === "backend" || by === "other" || by === "publishable")
      headers.authorization = `Bearer ${keys[by].key}`;
    if (by === "publishable") headers.origin = ORIGIN;
  };
  const post = (path: string, body: object) =>
    new Request(`${BASE}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  switch (c.op) {
    case "scan": {
      headers["user-agent"] = UA[c.phone];
      headers["cf-connecting-ip"] = IP[c.phone];
      const url = await linkOf(c.link, run, t);
      return post("/v1/logins/scan", c.claim === null ? { url } : { url, claim: c.claim });
    }
    case "open":
      return new Request(await linkOf(c.link, run, t), { headers: { "user-agent": UA.B } });
    case "approve":
      auth(c.by);
      return post(`/v1/logins/${run.id}/approve`, {
        scan: c.handle,
        subject: c.subject,
        ...(c.claims ? { claims: c.claims } : {}),
        ...(c.sameNet ? { require_same_network: true } : {}),
      });
    case "deny":
      auth(c.by);
      return post(`/v1/logins/${run.id}/deny`, { scan: c.handle });
    case "get": {
      auth(c.as);
      const watch = c.as === "watch" ? run.watch : c.as === "wrong_watch" ? madeUp() : null;
      const query = watch ? `?watch=${watch}` : "";
      return new Request(`${BASE}/v1/logins/${run.id}${query}`, { headers });
    }
    case "exchange": {
      auth(c.by);
      const ticket =
        c.ticket === "real"
          ? run.ticket
          : `${run.ticket.slice(0, -1)}${run.ticket.endsWith("0") ? "1" : "0"}`;
      const verifier = c.verifier === "right" ? run.verifier : newVerifier();
      const approved_by = c.approvedBy ? keys[c.approvedBy].id : undefined;
      return post("/v1/logins/exchange", { ticket, code_verifier: verifier, approved_by });
    }
  }
}

/** Send a request and read its answer as JSON. */
export async function seenOf(send: (r: Request) => Promise<Response>, r: Request): Promise<Seen> {
  const res = await send(r);
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: res.status, body: { raw: text } };
  }
}

/** A phone that got a scan handle keeps it; the one it held before goes stale. */
export function keepHandle(run: Run, c: Call, seen: Seen): void {
  if (c.op !== "scan" || seen.status !== 200 || typeof seen.body.scan !== "string") return;
  const before = run.wallet[c.phone];
  if (before) run.wallet.stale.push(before);
  run.wallet[c.phone] = seen.body.scan;
}

/** Where a time command moves the clock (never back). */
export function timeAfter(cmd: Cmd, m: LoginModel, t: number): number {
  if (cmd.k === "sleep") return t + cmd.ms;
  if (cmd.k !== "wait") return t;
  const at =
    cmd.to === "qr"
      ? m.expiresAt
      : cmd.to === "purge"
        ? purgeAtOf(m)
        : (cmd.to === "window" && m.status === "scanned") ||
            (cmd.to === "ticket" && m.status === "approved")
          ? deadlineOf(m)
          : null;
  return at === null ? t : Math.max(t, at + cmd.off);
}

/** The object's alarm, run now at `t`: true when one was set. */
export const runAlarm = (id: string, t: number) =>
  atClock(t, () => runDurableObjectAlarm(loginStubOf(id)));
