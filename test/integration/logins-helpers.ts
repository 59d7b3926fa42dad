// Helpers for the QR login integration tests: a PC page that creates a login with a PKCE pair,
// the app that scans it, the company's backend that approves, denies and exchanges, and a way
// to move a login's clock (its stored record) as time passing would.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { LoginRecord } from "../../src/core/login-record";
import { base64url, s256Challenge } from "../../src/core/login-ticket";
import type { Env } from "../../src/env";
import { RATE_LIMITS } from "../../src/limits";
import { ANDROID_APP_UA, DESKTOP_UA } from "./handoffs-helpers";
import { BASE, call, hopCapturingWorker, windowedLimiter } from "./helpers";

export const E = env as unknown as Env;
export const loginStubOf = (id: string) => E.LOGIN.get(E.LOGIN.idFromName(id));

/** Where Cloudflare would place a request (`request.cf`), for proximity. */
export const BERLIN = {
  country: "DE",
  city: "Berlin",
  colo: "TXL",
  latitude: "52.52",
  longitude: "13.40",
};
export const POTSDAM = {
  country: "DE",
  city: "Potsdam",
  colo: "TXL",
  latitude: "52.39",
  longitude: "13.06",
};
export const SAO_PAULO = {
  country: "BR",
  city: "São Paulo",
  colo: "GRU",
  latitude: "-23.55",
  longitude: "-46.63",
};

export interface CreatedLogin {
  id: string;
  url: string;
  qr: { svg: string; png: string };
  expires_at: number;
  watch: string;
  events_url: string;
  status: string;
  /** The PKCE verifier the PC page keeps (never sent at creation). */
  verifier: string;
}

/** A fresh PKCE verifier, as the embed makes it (32 random bytes, base64url). */
export function newVerifier(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The PC page: POST /v1/logins from a desktop browser (its `cf` and address), 201 expected. */
export async function createLogin(
  key: string,
  opts: {
    body?: Record<string, unknown>;
    headers?: Record<string, string>;
    cf?: Record<string, string>;
    ip?: string;
  } = {},
): Promise<CreatedLogin> {
  const verifier = newVerifier();
  const res = await call("/v1/logins", {
    method: "POST",
    key,
    json: { code_challenge: await s256Challenge(verifier), ...opts.body },
    headers: {
      "user-agent": DESKTOP_UA,
      "cf-connecting-ip": opts.ip ?? "203.0.113.10",
      ...opts.headers,
    },
    ...(opts.cf ? { cf: opts.cf } : {}),
  } as RequestInit);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return { ...((await res.json()) as Omit<CreatedLogin, "verifier">), verifier };
}

/**
 * The app's address when a test names none: one per test file, in the PC's /24
 * (203.0.113.100–199). LOGIN_LIMITER counts scans per address, and test files share a runtime
 * (vitest.config.ts): each file spends a budget of its own.
 */
function appIp(): string {
  const file = expect.getState().testPath?.split("/").pop() ?? "";
  let h = 0;
  for (const ch of file) h = (h * 31 + ch.charCodeAt(0)) % 100;
  return `203.0.113.${100 + h}`;
}

/** The app: POST /v1/logins/scan {url}. */
export function scanLogin(
  url: string,
  opts: { ip?: string; cf?: Record<string, string>; ua?: string } = {},
): Promise<Response> {
  return call("/v1/logins/scan", {
    method: "POST",
    json: { url },
    headers: {
      "user-agent": opts.ua ?? ANDROID_APP_UA,
      "cf-connecting-ip": opts.ip ?? appIp(),
    },
    ...(opts.cf ? { cf: opts.cf } : {}),
  } as RequestInit);
}

/** Scan and return the 200 body. */
export async function scanned(
  login: CreatedLogin,
  opts: Parameters<typeof scanLogin>[1] = {},
): Promise<{ id: string; scan: string } & Record<string, unknown>> {
  const res = await scanLogin(login.url, opts);
  if (res.status !== 200) throw new Error(`scan failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; scan: string };
}

/** The company's backend approves with its secret key. */
export function approve(key: string, id: string, body: Record<string, unknown>): Promise<Response> {
  return call(`/v1/logins/${id}/approve`, { method: "POST", key, json: body });
}

/** The PC's backend exchanges the ticket with the verifier. */
export function exchange(key: string, ticket: string, code_verifier: string): Promise<Response> {
  return call("/v1/logins/exchange", { method: "POST", key, json: { ticket, code_verifier } });
}

/** GET /v1/logins/:id with the watch secret (the PC page). */
export async function loginStatus(
  login: CreatedLogin,
  query = "",
): Promise<Record<string, unknown>> {
  const res = await call(`/v1/logins/${login.id}?watch=${login.watch}${query}`);
  if (res.status !== 200) throw new Error(`status failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** The stored record, read inside the object. */
export const storedLogin = (id: string) =>
  runInDurableObject(loginStubOf(id), (_o, state) => state.storage.kv.get<LoginRecord>("login"));

/**
 * Change the stored record, as time passing would (the object keeps its record in memory, so a
 * change made behind its back must also drop that copy).
 */
export async function editLogin(id: string, change: (r: LoginRecord) => void): Promise<void> {
  await runInDurableObject(loginStubOf(id), (_object, state) => {
    const rec = state.storage.kv.get<LoginRecord>("login")!;
    change(rec);
    state.storage.kv.put("login", rec);
  });
  await evictDurableObject(loginStubOf(id));
}

/** Open the PC page's WebSocket and collect its messages. */
export async function openLoginSocket(
  login: CreatedLogin,
): Promise<{ ws: WebSocket; messages: Record<string, unknown>[]; closed: () => boolean }> {
  const res = await call(`/v1/logins/${login.id}/events?watch=${login.watch}`, {
    headers: { upgrade: "websocket" },
  });
  if (res.status !== 101) throw new Error(`events failed: ${res.status} ${await res.text()}`);
  const ws = res.webSocket!;
  const messages: Record<string, unknown>[] = [];
  let closed = false;
  ws.addEventListener("message", (e) => {
    messages.push(JSON.parse(String(e.data)));
  });
  ws.addEventListener("close", () => {
    closed = true;
  });
  ws.accept();
  return { ws, messages, closed: () => closed };
}

export const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

/**
 * A Worker whose three rate limiters (the login scans, publishable-key creates and login
 * exchanges) have wrangler.toml's budgets and a window that turns over only when the test says
 * (`windowedLimiter`), and a POST to it.
 */
export function limitedWorker() {
  const limiters = {
    LOGIN_LIMITER: windowedLimiter(RATE_LIMITS.login),
    PUBLIC_LIMITER: windowedLimiter(RATE_LIMITS.publishable),
    LOGIN_EXCHANGE_LIMITER: windowedLimiter(RATE_LIMITS.loginExchange),
  };
  const { send } = hopCapturingWorker(limiters);
  const post = (path: string, json: unknown, headers: Record<string, string>) =>
    send(
      new Request(`${BASE}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(json),
      }),
    );
  return { ...limiters, post };
}

/**
 * A JSON `POST` to the Worker, with the secret `key` as bearer when given (the app's keyless
 * calls without), for `hopCapturingWorker().send`.
 *
 * @example
 * await w.send(postJson(`/v1/logins/${id}/deny`, { scan }));
 */
export const postJson = (path: string, body: object, key?: string) =>
  new Request(`${BASE}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify(body),
  });
