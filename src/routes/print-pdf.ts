/**
 * The print kit as PDF (secret key, `posters:write`): `GET /v1/posters/{id}/print.pdf`, one
 * card, and `GET /v1/posters/print-sheet.pdf`, a whole batch on A4 pages of 12 cards with crop
 * marks in one file (what print shops ask for). Same selection and options as the SVGs.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { ApiError } from "../core/errors";
import { PER_SHEET } from "../pages/print-layout";
import { renderPosterCardPdf, renderPrintSheetsPdf } from "../pages/print-pdf";
import { requireKey } from "./middleware";
import { PosterId, security } from "./poster-schemas";
import {
  CardQuery,
  cardToPrint,
  PrintOptions,
  posterToPrint,
  printHost,
  SheetSelection,
  sheetPosters,
} from "./print";
import { errorResponses } from "./schemas";

/** Posters in one PDF (100 A4 pages); a bigger selection comes in parts (`part=`). */
export const POSTERS_PER_PDF = 1_200;

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
      tags: ["posters"],
      summary: "A batch of poster cards as one PDF: A4 pages of 12 with crop marks",
      description: `Select posters as for print-sheet.svg: \`ids\` (up to 120, in that order) or \`store_id\`/\`campaign_id\` (newest first). Up to ${POSTERS_PER_PDF} posters per file; a larger selection comes in parts: \`part\` (from 1), with \`X-Total-Parts\`. Fonts are not embedded (Helvetica, Courier; Chinese in STSong-Light).`,
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
        ...errorResponses(400, 401, 403, 404),
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
      const pdf = await renderPrintSheetsPdf(
        items.map((p) => posterToPrint(c, p, true)),
        { host: printHost(c), cta: q.cta, lang: q.lang },
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
      tags: ["posters"],
      summary: "Print-ready card of one poster as PDF",
      description:
        "The card of print.svg as a one-page PDF sized in mm around it. `size` is the printed width of the QR symbol (15–200 mm; `50mm`, `5cm`, `2in`).",
      security,
      middleware: [requireKey("posters:write")] as const,
      request: {
        params: z.object({ id: PosterId }),
        query: CardQuery,
      },
      responses: {
        200: pdfResponse("The card"),
        ...errorResponses(400, 401, 403, 404, 410),
      },
    }),
    async (c) => {
      const card = await cardToPrint(c, c.req.valid("param").id, c.req.valid("query"));
      const pdf = await renderPosterCardPdf(card.item, card.options);
      return c.body(pdf, 200, pdfHeaders(`poster-${card.code}.pdf`));
    },
  );
}
