// Every operation of /openapi.json as a request that gets as far as its route's checks: real ids
// in its path, the bodies of the routes that validate before they authenticate, and one
// credential. For the tables that hold what the document says about who may call each operation
// to what the routes do (contract-security.test.ts, redteam-access-table.test.ts).
import { makeFixtures } from "./fuzz-helpers";
import { ADMIN_KEY, call, mintSecretKey } from "./helpers";
import { createLogin } from "./logins-helpers";

type Requirement = Record<string, string[]>;

/** One operation of the document and who it says may call it. */
export interface Operation {
  key: string;
  method: string;
  path: string;
  security: Requirement[];
  body: "json" | "form" | null;
}

/** What a request carries: a bearer key, a watch secret, a session cookie, an Origin, a query. */
export interface Credential {
  bearer?: string;
  watch?: string;
  cookie?: string;
  origin?: string;
  /** Extra query parameters (`store_id=…`), after any watch secret. */
  query?: string;
}

/** Every operation of /openapi.json. */
export async function listOperations(): Promise<Operation[]> {
  const doc = (await (await call("/openapi.json")).json()) as {
    paths: Record<
      string,
      Record<string, { security: Requirement[]; requestBody?: { content: object } }>
    >;
  };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      key: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      path,
      security: op.security,
      body: !op.requestBody
        ? null
        : "application/x-www-form-urlencoded" in op.requestBody.content
          ? "form"
          : "json",
    })),
  );
}

/** What the operations' paths name: made by a secret key with every scope (`fixtures.sk`). */
export async function operationFixtures() {
  const f = await makeFixtures();
  const login = await createLogin(await mintSecretKey());
  const throwaway = await call("/v1/keys", {
    method: "POST",
    key: ADMIN_KEY,
    json: { name: "revoked by the test", kind: "secret", scopes: ["stats:read"] },
  });
  const throwawayKeyId = ((await throwaway.json()) as { id: string }).id;
  return { ...f, login, throwawayKeyId };
}
export type OperationFixtures = Awaited<ReturnType<typeof operationFixtures>>;

const tokenOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

/** The operation's path with real ids, so a request gets as far as its route's checks. */
export function concrete(path: string, fx: OperationFixtures): string {
  const resource = path.split("/")[2];
  const ids: Record<string, string> = {
    keys: fx.throwawayKeyId,
    handoffs: fx.handoff.id,
    logins: fx.login.id,
    posters: fx.poster.id,
    stores: fx.storeId,
    campaigns: fx.poster.campaign_id,
    webhooks: fx.webhookId,
  };
  return path
    .replace("{id}", ids[resource!] ?? "x")
    .replace("{delivery_id}", "whd_00000000000000000000")
    .replace("{token}", tokenOf(path.startsWith("/l/") ? fx.login.url : fx.handoff.url))
    .replace("{code}", fx.poster.code)
    .replace("{kind}", "p")
    .replace("{file}", path.startsWith("/qr/") ? `${fx.poster.code}.svg` : "qrbridge.js");
}

/** Bodies for the routes that validate their body before they authenticate. */
function bodyOf(op: Operation, fx: OperationFixtures): string {
  const scan = "s".repeat(24);
  const bodies: Record<string, unknown> = {
    "POST /v1/logins": { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" },
    "POST /v1/logins/{id}/approve": { scan, subject: "user_1" },
    "POST /v1/logins/{id}/deny": { scan },
    "POST /v1/logins/exchange": { ticket: "T0", code_verifier: "v".repeat(43) },
    "POST /v1/events": { session: fx.session, type: "app_open" },
  };
  return JSON.stringify(bodies[op.key] ?? {});
}

/** Call the operation with `credential`; returns the response, its body read. */
export async function sendOperation(
  op: Operation,
  credential: Credential,
  fx: OperationFixtures,
): Promise<{ status: number; body: string }> {
  let url = concrete(op.path, fx);
  const headers: Record<string, string> = {};
  if (credential.bearer) headers.authorization = `Bearer ${credential.bearer}`;
  if (credential.cookie) headers.cookie = credential.cookie;
  if (credential.origin) headers.origin = credential.origin;
  const query = [credential.watch && `watch=${credential.watch}`, credential.query].filter(Boolean);
  if (query.length) url += `?${query.join("&")}`;
  // The WebSocket routes (not POST /v1/events, which is JSON).
  if (op.path.endsWith("{id}/events")) headers.upgrade = "websocket";
  let body: string | undefined;
  if (op.body === "json") {
    headers["content-type"] = "application/json";
    body = bodyOf(op, fx);
  } else if (op.body === "form") {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = "";
  }
  const res = await call(url, { method: op.method, headers, body, redirect: "manual" });
  if (res.status === 101) {
    res.webSocket!.accept();
    res.webSocket!.close();
    return { status: 101, body: "" };
  }
  return { status: res.status, body: await res.text() };
}

/** The security schemes an operation lists. */
export const schemesOf = (op: Operation) => op.security.flatMap((r) => Object.keys(r));
/** Whether the operation may be called with no credential at all. */
export const isOptional = (op: Operation) => op.security.some((r) => Object.keys(r).length === 0);
/** Whether the operation needs some credential (public and optional ones do not). */
export const needsCredential = (op: Operation) => op.security.length > 0 && !isOptional(op);
/** The scope a secret key must hold for the operation, if a secret key may call it. */
export const scopeOf = (op: Operation) => op.security.find((r) => r.secretKey)?.secretKey?.[0];
