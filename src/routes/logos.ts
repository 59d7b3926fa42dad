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
import type { QrLogo } from "../core/qr-logo";
import type { QrStyle } from "../core/qr-style";
import { access } from "./access";
import { adminKit, printKit } from "./lazy-modules";
import { requireKey } from "./middleware";
import { errorResponses } from "./schemas";

const LogoId = z.string().regex(/^lg_[0-9a-f]{24}$/, "a logo id is lg_ and 24 hex digits");

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
    png: z.string(),
  })
  .strict()
  .openapi("UploadLogoRequest");

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });

function bucket(c: Context<AppEnv>): R2Bucket {
  const b = c.env.LOGOS;
  if (!b) throw new ApiError("unavailable", "no LOGOS R2 binding: logos are not stored here");
  return b;
}

/**
 * Different logos one request (a batch) may name. Each is an R2 lookup, and an invocation may
 * make at most 1,000 operations on KV, R2 and the like: 1,000 rows naming 1,000 made-up ids
 * must be a 400, not 1,000 lookups (and the batch's own writes would then fail).
 */
export const MAX_LOGOS_PER_REQUEST = 10;

/**
 * The rows whose style names a logo that was never uploaded (or when logos cannot be stored
 * here), or one past the first {@link MAX_LOGOS_PER_REQUEST} different logos, as
 * `{index, field: "style.logo", message}`; each distinct logo is looked up once.
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
  const looked = ids.slice(0, MAX_LOGOS_PER_REQUEST);
  const bucket = c.env.LOGOS;
  const found = new Set<string>();
  if (bucket && looked.length > 0) {
    const { headLogo } = await adminKit();
    const heads = await Promise.all(looked.map((id) => headLogo(bucket, id)));
    for (const [i, id] of looked.entries()) if (heads[i]) found.add(id);
  }
  const tooMany = `at most ${MAX_LOGOS_PER_REQUEST} different logos in one request`;
  return styles.flatMap((s, index) =>
    s?.logo && !found.has(s.logo)
      ? [
          {
            index,
            field: "style.logo",
            message: looked.includes(s.logo)
              ? `no logo ${s.logo} (upload it with POST /v1/logos)`
              : tooMany,
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
  const logo = await (await printKit()).loadLogo(c.env.LOGOS, style.logo, pixels);
  if (!logo) console.error(`qrbridge: logo ${style.logo} is missing from LOGOS; drawn without it`);
  return logo ?? undefined;
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
      security: access.secret("posters:write"),
      middleware: [requireKey("posters:write")] as const,
      request: { body: { ...json(UploadLogo), required: true } },
      responses: {
        201: { description: "Stored", ...json(Logo) },
        200: { description: "Stored before", ...json(Logo) },
        ...errorResponses(400, 401, 403, 413, 415, 503),
      },
    }),
    async (c) => {
      const store = bucket(c);
      let file: { png: Uint8Array; width: number; height: number };
      try {
        file = await (await printKit()).checkLogoFile(c.req.valid("json").png);
      } catch (err) {
        if (err instanceof Error && err.name === "PngError")
          throw new ApiError("validation_failed", `png: ${err.message}`, { field: "png" });
        throw err;
      }
      const { logo, created } = await (await adminKit()).putLogo(store, file.png, file);
      return c.json(logo, created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/logos/{id}",
      operationId: "getLogo",
      tags: ["posters"],
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
      const logo = await (await adminKit()).headLogo(bucket(c), id);
      if (!logo) throw new ApiError("not_found", `no logo ${id}`);
      return c.json(logo, 200);
    },
  );
}
