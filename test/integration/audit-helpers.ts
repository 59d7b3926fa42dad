// Helpers for the audit-log tests: a key whose id is known (the log names keys by id), and the
// log's rows of one actor or subject read straight from D1.
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { ADMIN_KEY, call } from "./helpers";

export interface LoggedRow {
  id: number;
  at: number;
  actor: string;
  via: string;
  action: string;
  subject_type: string;
  subject_id: string;
  changes: string;
}

/** Mint a key through the API; its text and id. */
export async function mintKeyWithId(
  scopes: string[],
  kind: "secret" | "publishable" = "secret",
  origins?: string[],
): Promise<{ key: string; id: string }> {
  const res = await call("/v1/keys", {
    method: "POST",
    key: ADMIN_KEY,
    json: { name: `audit ${kind}`, kind, scopes, origins },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { key: string; id: string };
}

/** The log's rows of `actor`, oldest first. */
export async function rowsBy(actor: string): Promise<LoggedRow[]> {
  const { results } = await env.DB.prepare(
    "SELECT * FROM audit_log WHERE actor = ? ORDER BY at, id",
  )
    .bind(actor)
    .all<LoggedRow>();
  return results;
}

/** The log's rows about one subject, oldest first. */
export async function rowsAbout(subjectType: string, subjectId: string): Promise<LoggedRow[]> {
  const { results } = await env.DB.prepare(
    "SELECT * FROM audit_log WHERE subject_type = ? AND subject_id = ? ORDER BY at, id",
  )
    .bind(subjectType, subjectId)
    .all<LoggedRow>();
  return results;
}

/** Send JSON with a key and return the status and the parsed body. */
export async function send(
  method: string,
  path: string,
  key: string,
  json?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await call(path, { method, key, json });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
