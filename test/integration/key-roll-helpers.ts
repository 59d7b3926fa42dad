// Helpers for rolling and editing keys: mint with the admin key (text and id), roll, patch, and
// what a key may do now (the status of a call it can make), on the clock the test sets; a roll
// chain (keys-roll-chain*.test.ts) and what its lookup reads.
import { expect, vi } from "vitest";
import { familyColumns } from "../../src/store/key-family";
import { ADMIN_KEY, call } from "./helpers";

export const SHOP = "https://shop.example";
export const T0 = Date.parse("2031-03-01T00:00:00Z");

/** The test's clock (Date only): the bridge reads `Date.now()` on every request. */
export function clockAt(ms: number): void {
  vi.useFakeTimers({ toFake: ["Date"], now: ms });
}

/** A key minted through the API: its text, id and the rest of the answer. */
export async function mint(
  json: Record<string, unknown>,
): Promise<{ key: string; id: string } & Record<string, unknown>> {
  const res = await call("/v1/keys", {
    method: "POST",
    key: ADMIN_KEY,
    json: { name: "roll test", kind: "secret", scopes: ["posters:write"], ...json },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { key: string; id: string };
}

/** `POST /v1/keys/:id/roll` (no body when `json` is undefined). */
export function roll(
  id: string,
  json?: unknown,
  init: { key?: string; headers?: Record<string, string> } = {},
) {
  return call(`/v1/keys/${id}/roll`, {
    method: "POST",
    key: init.key ?? ADMIN_KEY,
    headers: init.headers,
    json,
  });
}

/**
 * Roll `id` with `expiresIn` seconds of grace (a day unless told), which must land (201): the
 * successor's key text and id.
 */
export async function rolled(id: string, expiresIn = 86_400): Promise<{ key: string; id: string }> {
  const res = await roll(id, { expires_in: expiresIn });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { key: string; id: string };
}

/** `PATCH /v1/keys/:id`. */
export function patch(id: string, json: unknown, key = ADMIN_KEY) {
  return call(`/v1/keys/${id}`, { method: "PATCH", key, json });
}

/** The status and error code of a call a `posters:write` key makes (a read of stores). */
export async function storesCall(key: string): Promise<{ status: number; error?: string }> {
  const res = await call("/v1/stores?limit=1", { key });
  const body = (await res.json()) as { error?: string };
  return { status: res.status, error: body.error };
}

/** Create a handoff with a publishable key from `origin`: the status. */
export async function createFrom(pk: string, origin: string): Promise<number> {
  const res = await call("/v1/handoffs", {
    method: "POST",
    key: pk,
    headers: { origin, "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 250)}` },
    json: {},
  });
  return res.status;
}

/** The error body of a refused call. */
export async function errorOf(res: Response) {
  return {
    status: res.status,
    ...((await res.json()) as {
      error: string;
      message: string;
      details?: Record<string, unknown>;
    }),
  };
}

/** The scopes of a roll chain's keys. */
export const CHAIN_SCOPES = ["handoffs:write", "posters:write", "logins:write"];

/** A minted, rolled to B with `graceA` seconds, B rolled at once to C with a day's grace. */
export async function chain(json: Record<string, unknown> = {}, graceA = 86_400) {
  const a = await mint({ scopes: CHAIN_SCOPES, ...json });
  const b = await rolled(a.id, graceA);
  const c = await rolled(b.id);
  return { a, b, c };
}

/** The status of `GET /v1/handoffs/:id` with `key`. */
export const opens = async (id: string, key: string) =>
  (await call(`/v1/handoffs/${id}`, { key })).status;

/**
 * A key lookup's family part (store/keys.ts `findUnrevokedKey`, store/dashboard-sessions.ts) as
 * D1 meters it: the key's row, then its family from the covering index alone.
 */
export const lookup = (id: string, db: D1Database) =>
  db
    .prepare(`SELECT k.id, ${familyColumns("k")} FROM api_keys k WHERE k.id = ?`)
    .bind(id)
    .all();
