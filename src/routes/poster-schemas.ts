/**
 * Request and response schemas of the poster API, and the one function that shapes a poster
 * for a response (code, display code, URL and QR links included).
 */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { appPathProblem, MAX_APP_PATH_LENGTH } from "../core/app-path";
import { QrOptionError } from "../core/qr";
import { checkStyle, type QrStyle, styleTag } from "../core/qr-style";
import { displayPosterCode } from "../core/token";
import type { PosterRecord } from "../store/posters";
import { access } from "./access";
import { ownKeys, QrLinks } from "./schemas";
import { linkUrl, qrUrls } from "./urls";

/**
 * An in-app path, checked exactly as a handoff's (core/app-path.ts): the landing page and the
 * app build `scheme://` and universal links from it, so "//evil.example", "/%2F%2Fevil.com" or
 * "https://…" would be an open redirect.
 */
export const PosterPath = z
  .string()
  .superRefine((path, ctx) => {
    const problem = appPathProblem(path);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: path });
  })
  .openapi({ maxLength: MAX_APP_PATH_LENGTH });

export const PosterParams = ownKeys(
  z
    .record(
      z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, "param names are 1–40 of A-Z a-z 0-9 _ . -"),
      z.string().max(500),
    )
    .refine((o) => Object.keys(o).length <= 20, "at most 20 params"),
);

/**
 * Unix ms, or an ISO 8601 date-time with offset; either way not before 1970-01-01T00:00:00Z
 * (an offset counts: "1970-01-01T00:30:00+01:00" is too early).
 */
export const Timestamp = z.union(
  [
    z.number().int().min(0).max(8_640_000_000_000_000),
    z.iso
      .datetime({ offset: true })
      .refine((s) => Date.parse(s) >= 0, "must not be before 1970-01-01T00:00:00Z")
      .transform((s) => Date.parse(s)),
  ],
  {
    // Shown when neither form fits (a zod union otherwise says only "Invalid input").
    error: "must be unix ms or an ISO 8601 date-time with offset, not before 1970-01-01T00:00:00Z",
  },
);

/** A line printed small under the poster's card, only when set (the name never is). */
export const PosterLabel = z.string().trim().min(1).max(100);

/**
 * A QR style, checked so that it always scans (core/qr-style.ts): a refusal names the field
 * (`style.fg`, `style.finder_color`, `style.invert`, …). Stored normalised.
 */
/** A style's fields, as stored and returned (the request checks them: {@link PosterStyle}). */
const STYLE_FIELDS = {
  fg: z.string().optional(),
  bg: z.string().optional(),
  modules: z.enum(["square", "rounded", "dots"]).optional(),
  finder: z.enum(["square", "rounded"]).optional(),
  finder_color: z.string().optional(),
  invert: z.boolean().optional(),
  logo: z.string().optional(),
  logo_size: z.number().optional(),
};

export const PosterStyle = z
  .object(STYLE_FIELDS)
  .strict()
  .transform((style, ctx): QrStyle => {
    try {
      return checkStyle(style);
    } catch (err) {
      if (!(err instanceof QrOptionError)) throw err;
      ctx.addIssue({
        code: "custom",
        message: err.message.replace(/^[^:]+: /, ""),
        path: [err.field],
      });
      return z.NEVER;
    }
  })
  .openapi("QrStyle");

export const StoreId = z.string().regex(/^st_[0-9a-z]{12}$/, "not a store id (st_…)");
export const CampaignName = z.string().trim().min(1).max(100);
export const PosterId = z
  .string()
  .regex(/^[0-9A-Za-z]{6}$/, "a poster id is 6 characters")
  .transform((s) => s.toUpperCase());

const windowOk = (p: { active_from?: number | null; active_until?: number | null }) =>
  p.active_from == null || p.active_until == null || p.active_from < p.active_until;
const WINDOW_MESSAGE = {
  message: "active_until must be after active_from",
  path: ["active_until"],
};

export const CreatePoster = z
  .object({
    name: z.string().trim().min(1).max(200),
    path: PosterPath,
    store_id: StoreId.nullable().optional(),
    campaign: CampaignName.nullable().optional(),
    params: PosterParams.optional(),
    status: z.enum(["active", "paused"]).optional(),
    active_from: Timestamp.nullable().optional(),
    active_until: Timestamp.nullable().optional(),
    label: PosterLabel.nullable().optional(),
    style: PosterStyle.nullable().optional(),
  })
  .strict()
  .refine(windowOk, WINDOW_MESSAGE)
  .openapi("CreatePosterRequest");

export const PatchPoster = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    path: PosterPath.optional(),
    store_id: StoreId.nullable().optional(),
    campaign: CampaignName.nullable().optional(),
    params: PosterParams.optional(),
    status: z.enum(["active", "paused", "revoked"]).optional(),
    active_from: Timestamp.nullable().optional(),
    active_until: Timestamp.nullable().optional(),
    label: PosterLabel.nullable().optional(),
    style: PosterStyle.nullable().optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict()
  .openapi("PatchPosterRequest");

export const Poster = z
  .object({
    id: z.string(),
    code: z.string(),
    display_code: z.string(),
    url: z.string(),
    qr: QrLinks,
    name: z.string(),
    path: z.string(),
    params: z.record(z.string(), z.string()),
    store_id: z.string().nullable(),
    store_name: z.string().nullable(),
    campaign_id: z.string().nullable(),
    campaign: z.string().nullable(),
    status: z.enum(["active", "paused", "revoked"]),
    active_from: z.number().int().nullable(),
    active_until: z.number().int().nullable(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
    deleted_at: z.number().int().nullable(),
    version: z.number().int(),
    label: z.string().nullable(),
    style: z.object(STYLE_FIELDS).nullable(),
  })
  .openapi("Poster");

export type PosterBody = z.infer<typeof Poster>;

/**
 * Shape a poster for a response.
 *
 * @example
 * return c.json(posterBody(c, record), 201);
 */
export function posterBody(c: Context<AppEnv>, p: PosterRecord): PosterBody {
  return {
    id: p.id,
    code: p.code,
    display_code: displayPosterCode(p.code),
    url: linkUrl(c, "p", p.code),
    qr: qrUrls(c, "p", p.code, styleTag(p.style)),
    name: p.name,
    path: p.path,
    params: p.params,
    store_id: p.store_id,
    store_name: p.store_name,
    campaign_id: p.campaign_id,
    campaign: p.campaign,
    status: p.status,
    active_from: p.active_from,
    active_until: p.active_until,
    created_at: p.created_at,
    updated_at: p.updated_at,
    deleted_at: p.deleted_at,
    version: p.version,
    label: p.label,
    style: p.style,
  };
}

/** Every poster, store and campaign route: a secret key holding posters:write. */
export const security = access.secret("posters:write");
