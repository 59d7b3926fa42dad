/**
 * The schemas of `/v1/keys` (their words: routes/reference/keys.ts).
 */
import { z } from "@hono/zod-openapi";
import { LIMITS } from "../limits";
import { SCOPES } from "../store/keys";

/**
 * The exact text a browser sends as `Origin`, which a publishable key's origins are compared to
 * as strings: an origin any other way (`https://SHOP.example`, `:443`, `*.`, an IDN in Unicode)
 * would be stored and then refuse every request of the page it was meant for.
 */
function asBrowserSends(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      url.origin === text && /^(?:[a-z0-9-]+\.)*[a-z0-9-]+\.?$|^\[[0-9a-f:.]+\]$/.test(url.hostname)
    );
  } catch {
    return false;
  }
}

const Origin = z
  .string()
  .regex(/^https?:\/\/[^/\s?#]+$/, "an origin is scheme://host[:port] with no path")
  .refine(
    asBrowserSends,
    "an origin as a browser sends it: lowercase, no default port, no wildcard, an international name as xn--",
  );
const Origins = z.array(Origin).max(50);

export const CreateKey = z
  .object({
    name: z.string().min(1).max(100),
    kind: z.enum(["secret", "publishable"]),
    scopes: z.array(z.enum(SCOPES)).min(1),
    origins: Origins.optional(),
    /**
     * Hold the key to one store: it reads that store's funnel and hops only. Such a key is a
     * secret key with `stats:read` alone (it is handed to a store's manager, who reads).
     */
    store_id: z.string().min(1).max(64).optional(),
    /** A temporary key: refused from this time on (unix ms, in the future). */
    expires_at: z.number().int().positive().optional(),
  })
  .openapi("CreateKeyRequest");

const { min, max } = LIMITS.keyRollGraceSeconds;

export const RollKey = z
  .object({
    /** The old key's grace, seconds; absent: `LIMITS.keyRollGraceSeconds.default`. */
    expires_in: z.number().int().min(min).max(max).optional(),
  })
  .strict()
  .openapi("RollKeyRequest");

export const PatchKey = z
  .object({
    name: z.string().min(1).max(100).optional(),
    origins: Origins.min(1).optional(),
    scopes: z.array(z.enum(SCOPES)).min(1).optional(),
  })
  .strict()
  .openapi("PatchKeyRequest");

export const KeyRecord = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(["secret", "publishable"]),
    prefix: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    origins: z.array(z.string()),
    created_at: z.number().int(),
    revoked_at: z.number().int().nullable(),
    last_used_at: z.number().int().nullable(),
    store_id: z.string().nullable(),
    store_name: z.string().nullable(),
    expires_at: z.number().int().nullable(),
    rolled_to: z.string().nullable(),
    rolled_from: z.string().nullable(),
  })
  .openapi("ApiKey");

export const CreatedKey = KeyRecord.extend({
  key: z.string(),
}).openapi("CreatedApiKey");

export const RolledKey = CreatedKey.extend({
  previous: KeyRecord,
}).openapi("RolledApiKey");

export const KeyIdParam = z.object({ id: z.string().max(40) });
