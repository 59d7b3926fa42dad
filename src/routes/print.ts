/**
 * The print kit (secret key, `posters:write`): `GET /v1/posters/{id}/print.svg`, one
 * print-ready card, and `GET /v1/posters/print-sheet.svg`, A4 sheets of 12 cards with crop
 * marks for a batch (by ids, in that order, or by store or campaign, in the order the posters were created; one
 * page per request, `page=`). The same as
 * PDF, a whole batch in one file: routes/print-pdf.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import type { PosterStatus } from "../core/attribution";
import { ApiError } from "../core/errors";
import { displayPosterCode } from "../core/token";
import { PER_SHEET, PRINT_LANGS } from "../pages/print-constants";
import type { CardOptions, PrintItem } from "../pages/print-marks";
import { getPoster, type PosterRecord } from "../store/posters";
import { adminKit, type PrintKit, printKit } from "./lazy-modules";
import { styleLogo } from "./logos";
import { requireKey } from "./middleware";
import { PosterId, StoreId, security } from "./poster-schemas";
import { errorResponses } from "./schemas";
import { linkUrl, publicBase } from "./urls";

const SIZE = /^(\d{1,3}(?:\.\d{1,2})?)(mm|cm|in)?$/;
const MM_PER: Record<string, number> = { mm: 1, cm: 10, in: 25.4 };

/** "50mm", "5cm", "2in" or a bare number of mm → mm (15–200), else a 400 naming `size`. */
function sizeMm(text: string | undefined): number {
  if (text === undefined) return 40;
  const m = SIZE.exec(text.trim().toLowerCase());
  const value = m ? Number(m[1]) * MM_PER[m[2] ?? "mm"]! : Number.NaN;
  if (!(value >= 15 && value <= 200))
    throw new ApiError(
      "validation_failed",
      "size: the QR's printed width, 15–200 mm (e.g. 50mm, 5cm, 2in)",
      { field: "size" },
    );
  return value;
}

/** A BCP 47 language tag: a 2–3 letter language, then subtags (`mr`, `ne-NP`, `sa-Deva`). */
const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z\d]{1,8})*$/i;

export const PrintOptions = {
  cta: z.string().max(80).optional(),
  lang: z.enum(PRINT_LANGS).optional(),
  text_lang: z.string().max(35).regex(LANGUAGE_TAG).optional(),
};

const svgResponse = (description: string) => ({
  description,
  content: { "image/svg+xml": { schema: z.string() } },
});

/** The host printed in "enter the code at <host>/c". */
export const printHost = (c: Context<AppEnv>) => publicBase(c).replace(/^https?:\/\//i, "");

/**
 * A print request's options from its query: the host printed, its call to action, the card's
 * language and the one its texts are written in.
 *
 * @example
 * const options = printOptions(c, c.req.valid("query"));
 */
export const printOptions = (
  c: Context<AppEnv>,
  q: { cta?: string; lang?: CardOptions["lang"]; text_lang?: string },
) => ({ host: printHost(c), cta: q.cta, lang: q.lang, textLang: q.text_lang });

/** A poster as the print kit draws it: its `label` printed only when it has one, never its name. */
export function posterToPrint(c: Context<AppEnv>, p: PosterRecord): PrintItem {
  return {
    url: linkUrl(c, "p", p.code),
    displayCode: displayPosterCode(p.code),
    storeName: p.store_name,
    label: p.label,
    style: p.style,
  };
}

/**
 * Posters as the print kit draws them, in their styles with their logos loaded (each distinct
 * logo once; with its pixels when `pixels`, for a PDF).
 *
 * @example
 * const items = await printItems(c, posters, true);
 */
export async function printItems(
  c: Context<AppEnv>,
  posters: PosterRecord[],
  pixels: boolean,
): Promise<PrintItem[]> {
  const logos = new Map<string, ReturnType<typeof styleLogo>>();
  for (const p of posters)
    if (p.style?.logo && !logos.has(p.style.logo))
      logos.set(p.style.logo, styleLogo(c, p.style, pixels));
  return Promise.all(
    posters.map(async (p) => ({
      ...posterToPrint(c, p),
      logo: p.style?.logo ? await logos.get(p.style.logo) : undefined,
    })),
  );
}

/**
 * The SVG's fonts: the glyph packs when deployed (texts drawn as outlines), else null (system
 * fonts), said in the `X-Print-Fonts` header either way.
 */
async function svgFonts(
  kit: PrintKit,
  c: Context<AppEnv>,
  items: PrintItem[],
  o: Omit<CardOptions, "sizeMm">,
) {
  try {
    return await kit.loadPrintFonts(c.env.PRINT_FONTS, kit.printTexts(items, o));
  } catch (err) {
    console.error("qrbridge: print fonts failed to load; SVG text falls back to system fonts", err);
    return null;
  }
}

function svgHeaders(filename: string, outlined: boolean): Record<string, string> {
  return {
    "x-print-fonts": outlined ? "outlines" : "system",
    "content-type": "image/svg+xml; charset=utf-8",
    "content-disposition": `inline; filename="${filename}"`,
    "x-content-type-options": "nosniff",
    // A logo is an <image> with a data: URI.
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
  };
}

/** The query of a single card: the QR's printed `size` and the print options. */
export const CardQuery = z.object({ size: z.string().max(12).optional(), ...PrintOptions });

/**
 * The poster `id` as one card to print, with its options from the query: a 400 for a bad
 * size, 404 for an unknown poster, 410 for a deleted one.
 *
 * @example
 * const card = await cardToPrint(c, id, c.req.valid("query"));
 * const svg = renderPosterCard(card.item, card.options);
 */
export async function cardToPrint(
  c: Context<AppEnv>,
  id: string,
  q: z.infer<typeof CardQuery>,
  pixels = false,
): Promise<{ item: PrintItem; options: CardOptions; code: string }> {
  const size = sizeMm(q.size);
  const poster = await getPoster(c.env.DB, id);
  if (!poster) throw new ApiError("not_found", `no poster ${id}`);
  if (poster.deleted_at !== null) throw new ApiError("gone", `poster ${id} is deleted`);
  const options = { sizeMm: size, ...printOptions(c, q) };
  const [item] = await printItems(c, [poster], pixels);
  return { item: item!, options, code: poster.code };
}

/** How the print sheets choose posters: by `ids` (in that order), or by store or campaign. */
export const SheetSelection = {
  ids: z.string().max(1000).optional(),
  store_id: StoreId.optional(),
  campaign_id: z.string().max(40).optional(),
  status: z.enum(["active", "paused", "revoked"]).optional(),
};

/**
 * The posters of a sheet selection from `offset` (at most `limit`), and how many there are in
 * all; a 400 naming `ids` when nothing selects, a 404 naming unknown ids.
 *
 * @example
 * const { items, total } = await sheetPosters(c, q, { offset: 0, limit: 12 });
 */
export async function sheetPosters(
  c: Context<AppEnv>,
  q: { ids?: string; store_id?: string; campaign_id?: string; status?: PosterStatus },
  window: { offset: number; limit: number },
): Promise<{ items: PosterRecord[]; total: number }> {
  if (q.ids !== undefined) {
    const ids = [
      ...new Set(
        q.ids
          .split(",")
          .map((s) => s.trim().toUpperCase())
          .filter(Boolean),
      ),
    ];
    if (ids.length === 0 || ids.length > 120 || ids.some((id) => !/^[0-9A-Z]{6}$/.test(id)))
      throw new ApiError("validation_failed", "ids: 1–120 poster ids, comma-separated", {
        field: "ids",
      });
    const found = (await (await adminKit()).listPosters(c.env.DB, { ids, limit: 200 })).items;
    const byId = new Map(found.map((p) => [p.id, p]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length)
      throw new ApiError("not_found", `no poster ${missing.join(", ")}`, { missing });
    const chosen = ids.slice(window.offset, window.offset + window.limit);
    return { items: chosen.map((id) => byId.get(id)!), total: ids.length };
  }
  if (q.store_id !== undefined || q.campaign_id !== undefined) {
    // An active poster past its `active_until` answers like a paused one: not printed as active.
    const notEndedAt = q.status === "active" ? Date.now() : undefined;
    const filter = {
      store_id: q.store_id,
      campaign_id: q.campaign_id,
      status: q.status,
      notEndedAt,
    };
    const { countPosters, listPosters } = await adminKit();
    const total = await countPosters(c.env.DB, filter);
    const list = await listPosters(c.env.DB, { ...filter, ...window, order: "created" });
    return { items: list.items, total };
  }
  throw new ApiError("validation_failed", "ids: choose posters by ids, store_id or campaign_id", {
    field: "ids",
  });
}

/**
 * Register the print routes (before `/v1/posters/{id}` so the sheet's path is not an id).
 *
 * @example
 * registerPrintRoutes(app);
 */
export function registerPrintRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/posters/print-sheet.svg",
      operationId: "getPrintSheetSvg",
      tags: ["posters"],
      security,
      middleware: [requireKey("posters:write")] as const,
      request: {
        query: z.object({
          ...SheetSelection,
          page: z.coerce.number().int().min(1).default(1),
          ...PrintOptions,
        }),
      },
      responses: {
        200: svgResponse("One A4 page"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const { items, total } = await sheetPosters(c, q, {
        offset: (q.page - 1) * PER_SHEET,
        limit: PER_SHEET,
      });
      const pages = Math.max(1, Math.ceil(total / PER_SHEET));
      if (items.length === 0)
        throw new ApiError(
          "not_found",
          total ? `there are only ${pages} pages` : "no posters match",
        );
      const print = await printItems(c, items, false);
      const options = printOptions(c, q);
      const kit = await printKit();
      const fonts = await svgFonts(kit, c, print, options);
      const svg = kit.renderPrintSheet(print, options, { page: q.page, pages }, fonts);
      const headers = svgHeaders(`posters-page-${q.page}.svg`, fonts !== null);
      headers["x-total-pages"] = String(pages);
      if (q.page < pages) {
        const next = new URL(c.req.url);
        next.searchParams.set("page", String(q.page + 1));
        headers.link = `<${next.pathname}${next.search}>; rel="next"`;
      }
      return c.body(svg, 200, headers);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/posters/{id}/print.svg",
      operationId: "getPosterPrintSvg",
      tags: ["posters"],
      security,
      middleware: [requireKey("posters:write")] as const,
      request: {
        params: z.object({ id: PosterId }),
        query: CardQuery,
      },
      responses: {
        200: svgResponse("The card"),
        ...errorResponses(400, 401, 403, 404, 410),
      },
    }),
    async (c) => {
      const card = await cardToPrint(c, c.req.valid("param").id, c.req.valid("query"));
      const kit = await printKit();
      const fonts = await svgFonts(kit, c, [card.item], card.options);
      const svg = kit.renderPosterCard(card.item, card.options, fonts);
      return c.body(svg, 200, svgHeaders(`poster-${card.code}.svg`, fonts !== null));
    },
  );
}
