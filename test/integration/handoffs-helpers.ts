// Helpers for the handoff integration tests (create, scan, resolve, wait for hops, tokens).
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { HandoffRecord } from "../../src/core/handoff-record";
import { signToken } from "../../src/core/token";
import type { Env } from "../../src/env";
import { call, exportLines, testKeyring } from "./helpers";
import { eventually, waitForHops } from "./hop-helpers";

export const IPHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
export const ANDROID_APP_UA = "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)";
export const DESKTOP_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

export interface Created {
  id: string;
  url: string;
  qr: { svg: string; png: string };
  expires_at: number;
  watch: string;
  events_url: string;
  status: string;
  confirm: string;
}

/** POST /v1/handoffs and return the parsed 201 body (throws on any other status). */
export async function createHandoff(
  key: string,
  body: Record<string, unknown> = {},
): Promise<Created> {
  const res = await call("/v1/handoffs", { method: "POST", key, json: body });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Created;
}

/** The token of a handoff link ("HTTPS://QR.TEST/H/<TOKEN>"). */
export function tokenOf(h: Created): string {
  return h.url.slice(h.url.lastIndexOf("/") + 1);
}

/** A phone opening the link in its browser (`cf` as Cloudflare would attach it). */
export function scan(
  h: Created | string,
  headers: Record<string, string> = {},
  cf?: Record<string, string>,
): Promise<Response> {
  const token = typeof h === "string" ? h : tokenOf(h);
  const init = { headers: { "user-agent": IPHONE_UA, ...headers }, ...(cf ? { cf } : {}) };
  return call(`/h/${token}`, init as RequestInit);
}

/** The app resolving a link. */
export function resolve(url: string, extra: Record<string, unknown> = {}): Promise<Response> {
  return call("/v1/resolve", {
    method: "POST",
    json: { url, ...extra },
    headers: { "user-agent": ANDROID_APP_UA },
  });
}

/** The PC page approves or denies the phone of a `confirm: "pc"` handoff, with its watch secret. */
export function decide(h: Created, action: "approve" | "deny"): Promise<Response> {
  return call(`/v1/handoffs/${h.id}/${action}`, { method: "POST", json: { watch: h.watch } });
}

/** GET /v1/handoffs/:id with the watch secret. */
export async function status(h: Created, query = ""): Promise<Record<string, unknown>> {
  const res = await call(`/v1/handoffs/${h.id}?watch=${h.watch}${query}`);
  if (res.status !== 200) throw new Error(`status failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/**
 * A handoff token (or with `kind` "l", a login token) for `id`, signed with the test keys,
 * expiring at `expiresAt` (unix seconds).
 */
export async function signedToken(
  expiresAt: number,
  id?: string,
  kind: "h" | "l" = "h",
): Promise<string> {
  return (await signToken(await testKeyring(), kind, { expiresAt, ...(id ? { id } : {}) })).token;
}

export { eventually } from "./hop-helpers";

/** The hop names recorded for a subject, once at least `min` have arrived (from the archive). */
export async function hopsOf(subjectId: string, min = 1): Promise<string[]> {
  return (await waitForHops({ subject_id: subjectId }, min)).map((r) => r.hop);
}

/** A hop of a handoff as the business exports it (`GET /v1/hops`, NDJSON). */
export interface ExportedHop {
  hop: string;
  detail: Record<string, unknown> | null;
}

/** Handoff `id`'s hops as the business exports them with `key`, once every one of `hops` arrived. */
export function exportedHops(key: string, id: string, hops: string[]): Promise<ExportedHop[]> {
  return eventually(
    async () => {
      const rows = (await exportLines(`subject_id=${id}`, key)).map(
        (l) => JSON.parse(l) as ExportedHop,
      );
      return hops.every((h) => rows.some((r) => r.hop === h)) ? rows : undefined;
    },
    `${hops.join(", ")} of ${id} in the export`,
  );
}

/** The Durable Object that holds handoff `id`. */
export function handoffStub(id: string) {
  const { HANDOFF } = env as unknown as Env;
  return HANDOFF.get(HANDOFF.idFromName(id));
}

/** The stored record, read inside the object. */
export const storedHandoff = (id: string) =>
  runInDurableObject(handoffStub(id), (_o, state) =>
    state.storage.kv.get<HandoffRecord>("handoff"),
  );

/**
 * Change the stored record, as time passing would (the object keeps its record in memory, so a
 * change made behind its back must also drop that copy).
 */
export async function editHandoff(id: string, change: (r: HandoffRecord) => void): Promise<void> {
  await runInDurableObject(handoffStub(id), (_object, state) => {
    const rec = state.storage.kv.get<HandoffRecord>("handoff")!;
    change(rec);
    state.storage.kv.put("handoff", rec);
  });
  await evictDurableObject(handoffStub(id));
}
