/**
 * Schemas shared by several routes: the error body, the QR links block, free-form records and
 * list cursors.
 */
import { z } from "@hono/zod-openapi";
import { ApiError } from "../core/errors";
import { decodeCursor } from "../store/paging";

export const ErrorBody = z
  .object({
    error: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  })
  .openapi("Error");

const ERROR_TEXT: Record<number, string> = {
  400: "Malformed JSON, a field failed validation or an unknown query parameter (`details.field` names it)",
  401: "Missing, invalid or revoked API key; `key_expired`: past its `expires_at` (a rolled or temporary key)",
  403: "Wrong scope, origin or credential",
  404: "Not found",
  409: "Conflict (e.g. already redeemed)",
  410: "Expired or no longer active",
  413: "Body too large",
  415: "Body is not application/json",
  426: "Not a WebSocket upgrade: send `Upgrade: websocket`",
  422: "The Idempotency-Key was used for another request (`idempotency_key_reused`)",
  429: "Rate limited",
  503: "Not available in this deployment (the message names the missing binding)",
};

/**
 * OpenAPI response entries for the given error statuses, all with the one error body.
 *
 * @example
 * responses: { 200: {...}, ...errorResponses(400, 401) }
 */
export function errorResponses<S extends number>(...statuses: S[]) {
  const out = {} as Record<
    S,
    { description: string; content: { "application/json": { schema: typeof ErrorBody } } }
  >;
  for (const s of statuses) {
    out[s] = {
      description: ERROR_TEXT[s] ?? "Error",
      content: { "application/json": { schema: ErrorBody } },
    };
  }
  return out;
}

/** URLs of a bridge link's QR images. */
export const QrLinks = z
  .object({
    svg: z.string().url(),
    png: z.string().url(),
  })
  .openapi("QrLinks");

/**
 * A request record (free-form keys) that refuses a `"__proto__"` key with a 400 naming it.
 * zod leaves that key out of a parsed record without an issue, so it would vanish from what the
 * client sent behind a 2xx.
 *
 * @example
 * const Params = ownKeys(z.record(z.string(), z.string()));
 */
export function ownKeys<T extends z.ZodType>(record: T) {
  return z.preprocess((value, ctx) => {
    if (typeof value === "object" && value !== null && Object.hasOwn(value, "__proto__")) {
      ctx.addIssue({
        code: "custom",
        message: 'a key may not be "__proto__"',
        path: ["__proto__"],
        input: value,
      });
    }
    return value;
  }, record);
}

/**
 * A list's `cursor` query parameter decoded, `null` when absent, or a 400 naming `cursor`.
 *
 * @example
 * const page = await listStores(c.env.DB, { limit: q.limit, cursor: cursorParam(q.cursor) });
 */
export function cursorParam(text: string | undefined) {
  if (text === undefined) return null;
  const cursor = decodeCursor(text);
  if (!cursor)
    throw new ApiError("validation_failed", "cursor: not a cursor from a previous page", {
      field: "cursor",
    });
  return cursor;
}
