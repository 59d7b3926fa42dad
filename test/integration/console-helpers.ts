// Helpers for the console's integration tests: a dashboard session signed in with a key, as the
// browser holds it (cookie + CSRF token read from the page), and a call through its /v1 proxy.
import { expect } from "vitest";
import { BASE, call, mintKey } from "./helpers";

/** A signed-in console session: its cookie and its CSRF token. */
export interface Session {
  cookie: string;
  csrf: string;
}

/** Sign in with `key` and read the session's CSRF token from the page, as the browser does. */
export async function session(key: string): Promise<Session> {
  const res = await call("/dashboard/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
    body: new URLSearchParams({ key }).toString(),
    redirect: "manual",
  });
  expect(res.status).toBe(303);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const html = await (await call("/dashboard/stores", { headers: { cookie } })).text();
  return { cookie, csrf: /data-csrf="([^"]+)"/.exec(html)![1]! };
}

/** A console call: the session's cookie, this origin and its token unless overridden. */
export function consoleCall(
  s: Session,
  method: string,
  path: string,
  json?: unknown,
  headers: Record<string, string | null> = {},
) {
  const h: Record<string, string> = { cookie: s.cookie, origin: BASE, "x-csrf-token": s.csrf };
  for (const [k, v] of Object.entries(headers)) {
    if (v === null) delete h[k];
    else h[k] = v;
  }
  return call(`/dashboard/api${path}`, { method, headers: h, json });
}

/** A key allowed to read stats and change posters, and a console session signed in with it. */
export async function editorSession(): Promise<{ key: string; session: Session }> {
  const key = await mintKey("secret", ["stats:read", "posters:write"]);
  return { key, session: await session(key) };
}
