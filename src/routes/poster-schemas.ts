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
  .openapi({
    example: "/menu/lunch",
    maxLength: MAX_APP_PATH_LENGTH,
    description:
      'In-app path: one leading "/", no "//", "\\", spaces or control characters, no encoded "/" or "\\" and no "." or ".." segments before the query',
  });

export const PosterParams = ownKeys(
  z
    .record(
      z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, "param names are 1–40 of A-Z a-z 0-9 _ . -"),
      z.string().max(500),
    )
    .refine((o) => Object.keys(o).length <= 20, "at most 20 params"),
).openapi({ example: { table: "12" } });

/**
 * Unix ms, or an ISO 8601 date-time with offset; either way not before 1970-01-01T00:00:00Z
 * (an offset counts: "1970-01-01T00:30:00+01:00" is too early).
 */
export const Timestamp = z
  .union(
    [
      z.number().int().min(0).max(8_640_000_000_000_000),
      z.iso
        .datetime({ offset: true })
        .refine((s) => Date.parse(s) >= 0, "must not be before 1970-01-01T00:00:00Z")
        .transform((s) => Date.parse(s)),
    ],
    {
      // Shown when neither form fits (a zod union otherwise says only "Invalid input").
      error:
        "must be unix ms or an ISO 8601 date-time with offset, not before 1970-01-01T00:00:00Z",
    },
  )
  .openapi({ example: "2026-07-01T00:00:00Z", description: "Unix ms or ISO 8601" });

/** A line printed small under the poster's card, only when set (the name never is). */
export const PosterLabel = z.string().trim().min(1).max(100).openapi({
  example: "Window A",
  description: "Printed small under the card in the print kit; never shown to people scanning",
});

/**
 * A QR style, checked so that it always scans (core/qr-style.ts): a refusal names the field
 * (`style.fg`, `style.finder_color`, `style.invert`, …). Stored normalised.
 */
/** A style's fields, as stored and returned (the request checks them: {@link PosterStyle}). */
const STYLE_FIELDS = {
  fg: z.string().optional().openapi({ example: "#1a237e", description: "Modules, #rrggbb" }),
  bg: z.string().optional().openapi({ example: "#ffffff", description: "Background, #rrggbb" }),
  modules: z.enum(["square", "rounded", "dots"]).optional(),
  finder: z.enum(["square", "rounded"]).optional(),
  finder_color: z.string().optional().openapi({ description: "Finder patterns, #rrggbb" }),
  invert: z.boolean().optional().openapi({
    description: "Light modules on a dark background; refused unless true",
  }),
  logo: z.string().optional().openapi({ description: "Id from POST /v1/logos (forces ec H)" }),
  logo_size: z
    .number()
    .optional()
    .openapi({ description: "Logo side ÷ code side, 0.1–0.33 (default 0.22)" }),
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
  .openapi("QrStyle", {
    description: `Colours need a contrast of at least 4.5:1 (WCAG) against the background, modules darker than it unless \`invert\`; every accepted style decodes`,
  });

export const StoreId = z.string().regex(/^st_[0-9a-z]{12}$/, "not a store id (st_…)");
export const CampaignName = z.string().trim().min(1).max(100);
export const PosterId = z
  .string()
  .regex(/^[0-9A-Za-z]{6}$/, "a poster id is 6 characters")
  .transform((s) => s.toUpperCase())
  .openapi({ example: "7K2M9Q" });

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
    campaign: CampaignName.nullable().optional().openapi({
      description: "Campaign name; created on first use",
    }),
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
    version: z.number().int().min(1).optional().openapi({
      description: "Apply only if the poster is still at this version (else 409)",
    }),
  })
  .strict()
  .openapi("PatchPosterRequest");

export const Poster = z
  .object({
    id: z.string().openapi({ example: "7K2M9Q" }),
    code: z.string().openapi({ example: "7K2M9QX4AB" }),
    display_code: z.string().openapi({ example: "7K2M9-QX4AB" }),
    url: z.string().openapi({ example: "HTTPS://QR.EXAMPLE.COM/P/7K2M9QX4AB" }),
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
    style: z.object(STYLE_FIELDS).nullable().openapi({
      description: "The QR style its images and print files use; null: black on white",
    }),
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
