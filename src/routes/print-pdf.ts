/**
 * The print kit as PDF (secret key, `posters:write`): `GET /v1/posters/{id}/print.pdf`, one
 * card, and `GET /v1/posters/print-sheet.pdf`, a whole batch on A4 pages of 12 cards with crop
 * marks in one file (what print shops ask for). Same selection and options as the SVGs.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { ApiError } from "../core/errors";
import type { GlyphStore } from "../core/glyph-store";
import { PER_SHEET } from "../pages/print-constants";
import type { CardOptions, PrintItem } from "../pages/print-marks";
import type { PosterRecord } from "../store/posters";
import { type PrintKit, printKit } from "./lazy-modules";
import { requireKey } from "./middleware";
import { PosterId, security } from "./poster-schemas";
import {
  CardQuery,
  cardToPrint,
  PrintOptions,
  printItems,
  printOptions,
  SheetSelection,
  sheetPosters,
} from "./print";
import { MAX_PDF_LOGO_IMAGES, POSTERS_PER_PDF } from "./response-limits";
import { errorResponses } from "./schemas";

/**
 * The fonts the texts of `items` need, or a 503 naming the binding: a PDF must embed every
 * font it uses, so without the packs there is no PDF to give (the SVGs still work).
 */
async function fontsFor(
  kit: PrintKit,
  c: Context<AppEnv>,
  items: PrintItem[],
  o: Omit<CardOptions, "sizeMm">,
): Promise<GlyphStore> {
  const fonts = await kit.loadPrintFonts(c.env.PRINT_FONTS, kit.printTexts(items, o));
  if (!fonts)
    throw new ApiError(
      "unavailable",
      "print fonts are not deployed: the PRINT_FONTS assets binding (build/assets, scripts/build-fonts.mjs) is missing; the SVG print files work without it",
    );
  return fonts;
}

/** Render, turning a face missing from the deployed packs into the same 503. */
async function withFonts<T>(kit: PrintKit, render: () => Promise<T>): Promise<T> {
  try {
    return await render();
  } catch (err) {
    if (err instanceof kit.MissingFontError)
      throw new ApiError("unavailable", `print fonts are incomplete: ${err.message}`);
    throw err;
  }
}

/**
 * A 400 naming `ids` when `posters` would embed more than {@link MAX_PDF_LOGO_IMAGES} logo
 * images (each distinct logo on each background it is printed on), before any is read.
 *
 * @example
 * checkLogoImages(items); // throws ApiError("validation_failed") past the bound
 */
export function checkLogoImages(posters: readonly PosterRecord[]): void {
  const images = new Set<string>();
  for (const p of posters)
    if (p.style?.logo) images.add(`${p.style.logo} ${(p.style.bg ?? "#fff").toLowerCase()}`);
  if (images.size > MAX_PDF_LOGO_IMAGES)
    throw new ApiError(
      "validation_failed",
      `ids: these posters print ${images.size} logo images (each logo on each background it is drawn on); a PDF holds at most ${MAX_PDF_LOGO_IMAGES}: print them in smaller selections`,
      { field: "ids", logo_images: images.size, limit: MAX_PDF_LOGO_IMAGES },
    );
}

const pdfResponse = (description: string) => ({
  description,
  content: { "application/pdf": { schema: z.string().openapi({ format: "binary" }) } },
});

function pdfHeaders(filename: string): Record<string, string> {
  return {
    "content-type": "application/pdf",
    "content-disposition": `attachment; filename="${filename}"`,
    "x-content-type-options": "nosniff",
  };
}

/**
 * Register the PDF print routes (before `/v1/posters/{id}` so the sheet's path is not an id).
 *
 * @example
 * registerPrintPdfRoutes(app);
 */
export function registerPrintPdfRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/posters/print-sheet.pdf",
      operationId: "getPrintSheetPdf",
      tags: ["posters"],
      security,
      middleware: [requireKey("posters:write")] as const,
      request: {
        query: z.object({
          ...SheetSelection,
          part: z.coerce.number().int().min(1).default(1),
          ...PrintOptions,
        }),
      },
      responses: {
        200: pdfResponse("The A4 pages"),
        ...errorResponses(400, 401, 403, 404, 503),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const { items, total } = await sheetPosters(c, q, {
        offset: (q.part - 1) * POSTERS_PER_PDF,
        limit: POSTERS_PER_PDF,
      });
      const parts = Math.max(1, Math.ceil(total / POSTERS_PER_PDF));
      if (items.length === 0)
        throw new ApiError(
          "not_found",
          total ? `there are only ${parts} parts` : "no posters match",
        );
      checkLogoImages(items);
      const print = await printItems(c, items, true);
      const options = printOptions(c, q);
      const kit = await printKit();
      const fonts = await fontsFor(kit, c, print, options);
      const pdf = await withFonts(kit, () =>
        kit.renderPrintSheetsPdf(print, options, fonts, Date.now()),
      );
      const headers = pdfHeaders(parts > 1 ? `posters-part-${q.part}.pdf` : "posters.pdf");
      headers["x-total-parts"] = String(parts);
      headers["x-total-pages"] = String(Math.ceil(items.length / PER_SHEET));
      return c.body(pdf, 200, headers);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/posters/{id}/print.pdf",
      operationId: "getPosterPrintPdf",
      tags: ["posters"],
      security,
      middleware: [requireKey("posters:write")] as const,
      request: {
        params: z.object({ id: PosterId }),
        query: CardQuery,
      },
      responses: {
        200: pdfResponse("The card"),
        ...errorResponses(400, 401, 403, 404, 410, 503),
      },
    }),
    async (c) => {
      const card = await cardToPrint(c, c.req.valid("param").id, c.req.valid("query"), true);
      const kit = await printKit();
      const fonts = await fontsFor(kit, c, [card.item], card.options);
      const pdf = await withFonts(kit, () =>
        kit.renderPosterCardPdf(card.item, card.options, fonts, Date.now()),
      );
      return c.body(pdf, 200, pdfHeaders(`poster-${card.code}.pdf`));
    },
  );
}
