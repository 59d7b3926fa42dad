/**
 * `/v1/logos` (secret key, `posters:write`): upload a centre logo once, then name it in a
 * poster's `style.logo`. PNG only: every renderer can embed it as is (SVG `data:` URI) or draw
 * its pixels (PNG, and PDF, where an SVG logo would need a whole SVG renderer). Also the
 * helpers the QR and print routes use to draw a style's logo.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { ApiError } from "../core/errors";
import { pngInfo } from "../core/png-decode";
import type { QrLogo } from "../core/qr-logo";
import type { QrStyle } from "../core/qr-style";
import { headLogo, loadLogo, putLogo } from "../store/logos";
import { access } from "./access";
import { printKit } from "./lazy-modules";
import { requireKey } from "./middleware";
import { errorResponses } from "./schemas";

/** Largest logo file, bytes: its base64 fits the 64 KiB JSON body limit. */
export const MAX_LOGO_BYTES = 40 * 1024;
/** A logo's sides, px: enough for a sharp print at any QR size, small enough to draw fast. */
const MIN_SIDE = 16;
const MAX_SIDE = 512;
/** The longest side at most this many times the shortest (a thin strip leaves no logo). */
const MAX_ASPECT = 4;

const LogoId = z
  .string()
  .regex(/^lg_[0-9a-f]{24}$/, "a logo id is lg_ and 24 hex digits")
  .openapi({ example: "lg_9f86d081884c7d659a2feaa0" });

const Logo = z
  .object({
    id: LogoId,
    width: z.number().int(),
    height: z.number().int(),
    bytes: z.number().int(),
    created_at: z.number().int(),
  })
  .openapi("Logo");

const UploadLogo = z
  .object({
    // No maxLength here: the body limit bounds it, and the handler's refusal says the file's size.
    png: z
      .string()
      .openapi({ description: `The PNG file, base64 (at most ${MAX_LOGO_BYTES / 1024} KiB)` }),
  })
  .strict()
  .openapi("UploadLogoRequest");

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const bad = (message: string) =>
  new ApiError("validation_failed", `png: ${message}`, { field: "png" });

function bucket(c: Context<AppEnv>): R2Bucket {
  const b = c.env.LOGOS;
  if (!b)
    throw new ApiError(
      "unavailable",
      "logos are not stored here: the LOGOS R2 binding (bucket qrbridge-logos) is missing",
    );
  return b;
}

/** The uploaded file checked: base64, a PNG, its size and sides, and every pixel decodable. */
async function checkedPng(
  text: string,
): Promise<{ png: Uint8Array; width: number; height: number }> {
  let png: Uint8Array;
  try {
    png = Uint8Array.from(atob(text.replace(/\s+/g, "")), (ch) => ch.charCodeAt(0));
  } catch {
    throw bad("not base64");
  }
  if (png.length > MAX_LOGO_BYTES)
    throw bad(`the file is ${png.length} bytes, at most ${MAX_LOGO_BYTES}`);
  try {
    const { width, height } = pngInfo(png);
    if (Math.min(width, height) < MIN_SIDE || Math.max(width, height) > MAX_SIDE)
      throw bad(`${width} × ${height} px: each side must be ${MIN_SIDE}–${MAX_SIDE} px`);
    if (Math.max(width, height) > MAX_ASPECT * Math.min(width, height))
      throw bad(
        `${width} × ${height} px: at most ${MAX_ASPECT} times as wide as high, or high as wide`,
      );
    await (await printKit()).decodePng(png); // a corrupt file is refused now, not when drawn
    return { png, width, height };
  } catch (err) {
    if (err instanceof Error && err.name === "PngError") throw bad(err.message);
    throw err;
  }
}

/**
 * The rows whose style names a logo that was never uploaded (or when logos cannot be stored
 * here), as `{index, field: "style.logo", message}`; each distinct logo is looked up once.
 *
 * @example
 * const rows = await missingLogos(c, posters.map((p) => p.style));
 * if (rows.length) throw rowFailure(rows);
 */
export async function missingLogos(
  c: Context<AppEnv>,
  styles: (QrStyle | null | undefined)[],
): Promise<{ index: number; field: string; message: string }[]> {
  const ids = [...new Set(styles.map((s) => s?.logo).filter((id): id is string => !!id))];
  const bucket = c.env.LOGOS;
  const found = new Set<string>();
  if (bucket) for (const id of ids) if (await headLogo(bucket, id)) found.add(id);
  return styles.flatMap((s, index) =>
    s?.logo && !found.has(s.logo)
      ? [
          {
            index,
            field: "style.logo",
            message: `no logo ${s.logo} (upload it with POST /v1/logos)`,
          },
        ]
      : [],
  );
}

/**
 * A 400 naming `style.logo` when the style names a logo that was never uploaded.
 *
 * @example
 * await checkStyleLogo(c, input.style);
 */
export async function checkStyleLogo(
  c: Context<AppEnv>,
  style: QrStyle | null | undefined,
): Promise<void> {
  const [row] = await missingLogos(c, [style]);
  if (row)
    throw new ApiError("validation_failed", `${row.field}: ${row.message}`, { field: row.field });
}

/**
 * The logo a style names, ready to draw (with its decoded pixels when `pixels`: PNG and PDF),
 * or undefined when it names none. A logo that cannot be read is left out (logged): the code
 * still scans, plainer.
 *
 * @example
 * opts.logo = await styleLogo(c, poster.style, format === "png");
 */
export async function styleLogo(
  c: Context<AppEnv>,
  style: QrStyle | null | undefined,
  pixels: boolean,
): Promise<QrLogo | undefined> {
  if (!style?.logo || !c.env.LOGOS) return undefined;
  const logo = await loadLogo(c.env.LOGOS, style.logo);
  if (!logo) {
    console.error(`qrbridge: logo ${style.logo} is missing from LOGOS; drawn without it`);
    return undefined;
  }
  if (pixels && !logo.rgba) logo.rgba = (await (await printKit()).decodePng(logo.png)).rgba;
  return logo;
}

/**
 * Register the logo routes.
 *
 * @example
 * registerLogoRoutes(app);
 */
export function registerLogoRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/logos",
      operationId: "uploadLogo",
      tags: ["posters"],
      summary: "Upload a centre logo for QR styles (PNG, base64)",
      description: `A PNG of ${MIN_SIDE}–${MAX_SIDE} px a side (at most ${MAX_ASPECT}:1), at most ${MAX_LOGO_BYTES / 1024} KiB, not interlaced. Its id comes from its bytes: the same file uploaded again is the same logo (200). Name it in a poster's \`style.logo\`.`,
      security: access.secret("posters:write"),
      middleware: [requireKey("posters:write")] as const,
      request: { body: { ...json(UploadLogo), required: true } },
      responses: {
        201: { description: "The logo, stored", ...json(Logo) },
        200: { description: "This file was uploaded before: the same logo", ...json(Logo) },
        ...errorResponses(400, 401, 403, 413, 415, 503),
      },
    }),
    async (c) => {
      const store = bucket(c);
      const { png, width, height } = await checkedPng(c.req.valid("json").png);
      const { logo, created } = await putLogo(store, png, { width, height });
      return c.json(logo, created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/logos/{id}",
      operationId: "getLogo",
      tags: ["posters"],
      summary: "A logo's size and date",
      security: access.secret("posters:write"),
      middleware: [requireKey("posters:write")] as const,
      request: { params: z.object({ id: LogoId }) },
      responses: {
        200: { description: "The logo", ...json(Logo) },
        ...errorResponses(400, 401, 403, 404, 503),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const logo = await headLogo(bucket(c), id);
      if (!logo) throw new ApiError("not_found", `no logo ${id}`);
      return c.json(logo, 200);
    },
  );
}
