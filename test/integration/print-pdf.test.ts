import { describe, expect, it } from "vitest";
import { pdfQrCodes, pdfTexts, readPdf } from "../pdf-reader";
import { call } from "./helpers";
import { makePoster, makeStore, type PosterJson, posterKey } from "./poster-helpers";

async function batch(posters: Record<string, unknown>[]): Promise<PosterJson[]> {
  const res = await call("/v1/posters/batch", {
    method: "POST",
    key: await posterKey(),
    json: { posters },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { posters: PosterJson[] }).posters;
}

async function pdfOf(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  return readPdf(new Uint8Array(await res.arrayBuffer()));
}

describe("GET /v1/posters/print-sheet.pdf", () => {
  it("is the whole batch in one PDF, A4 pages of 12; every QR decodes to its poster", async () => {
    const store = await makeStore("新宿 PDF store");
    const posters = await batch(
      Array.from({ length: 14 }, (_, i) => ({
        name: `Shelf ${i}`,
        label: `Label ${i}`,
        path: "/aisle",
        store_id: store.id,
      })),
    );
    const ids = posters.map((p) => p.id).join(",");
    const res = await call(`/v1/posters/print-sheet.pdf?ids=${ids}`, { key: await posterKey() });
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="posters.pdf"');
    expect(res.headers.get("x-total-pages")).toBe("2");
    expect(res.headers.get("x-total-parts")).toBe("1");
    const { pages, fonts } = await pdfOf(res);
    expect(pages).toHaveLength(2);
    const decoded = pages.flatMap((p) => pdfQrCodes(p.content).map((q) => q.data));
    expect(decoded).toEqual(posters.map((p) => p.url));
    const texts = pdfTexts(pages[0]!.content, fonts).map((t) => t.text);
    expect(texts).toContain(posters[0]!.display_code);
    expect(texts).toContain("新宿 PDF store");
    expect(texts).toContain("Label 11");
    expect(texts).not.toContain("Shelf 11"); // the name is internal
    expect([...fonts.values()].every((f) => /^[A-Z]{6}\+NotoSans/.test(f.name))).toBe(true);
  });

  it("comes in parts of 1,200 posters when a selection is bigger", async () => {
    const store = await makeStore("Big store");
    const rows = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({
        name: `P${from + i}`,
        path: "/x",
        store_id: store.id,
      }));
    await batch(rows(1000, 0));
    await batch(rows(200, 1000));
    const key = await posterKey();
    // In the order they were created, as the SVG sheets: the last part holds the newest.
    const newest = (await batch(rows(1, 1201)))[0]!;
    const res = await call(`/v1/posters/print-sheet.pdf?store_id=${store.id}&part=2`, { key });
    expect(res.headers.get("x-total-parts")).toBe("2");
    expect(res.headers.get("content-disposition")).toContain("posters-part-2.pdf");
    const { pages } = await pdfOf(res);
    expect(pages.flatMap((p) => pdfQrCodes(p.content).map((q) => q.data))).toEqual([newest.url]);
    const beyond = await call(`/v1/posters/print-sheet.pdf?store_id=${store.id}&part=3`, { key });
    expect(beyond.status).toBe(404);
  });

  it("refuses without a key, without a selection, and names missing ids", async () => {
    expect((await call("/v1/posters/print-sheet.pdf?ids=ZZZZZZ")).status).toBe(401);
    const key = await posterKey();
    const none = await call("/v1/posters/print-sheet.pdf", { key });
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ details: { field: "ids" } });
    const missing = await call("/v1/posters/print-sheet.pdf?ids=ZZZZZZ", { key });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ details: { missing: ["ZZZZZZ"] } });
    const part = await call("/v1/posters/print-sheet.pdf?ids=ZZZZZZ&part=0", { key });
    expect(part.status).toBe(400);
  });
});

describe("GET /v1/posters/:id/print.pdf", () => {
  it("is one card at the chosen size whose QR decodes to the poster URL", async () => {
    const store = await makeStore("Card store");
    const p = await makePoster({ store_id: store.id });
    const res = await call(`/v1/posters/${p.id}/print.pdf?size=5cm&cta=Scan%20(now)`, {
      key: await posterKey(),
    });
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="poster-${p.code}.pdf"`,
    );
    const { pages, info, fonts } = await pdfOf(res);
    expect(pages).toHaveLength(1);
    expect(pdfQrCodes(pages[0]!.content).map((q) => q.data)).toEqual([p.url]);
    const texts = pdfTexts(pages[0]!.content, fonts).map((t) => t.text);
    expect(texts).toEqual([
      "Card store",
      "Scan (now)",
      p.display_code,
      "No camera? Enter the code at qr.test/c",
    ]);
    expect(info).toContain("/Title <FEFF"); // "Card store · 7K2M9-…": the dot is not ASCII
    // 5 cm of symbol: the page is wider than that (quiet zone and margins), in points.
    expect(pages[0]!.size[0]).toBeGreaterThan((50 * 72) / 25.4);
  });

  it("answers 400 for a bad size, 404 for an unknown poster and 410 for a deleted one", async () => {
    const key = await posterKey();
    const p = await makePoster();
    expect((await call(`/v1/posters/${p.id}/print.pdf?size=1km`, { key })).status).toBe(400);
    expect((await call("/v1/posters/ZZZZZZ/print.pdf", { key })).status).toBe(404);
    await call(`/v1/posters/${p.id}`, { method: "DELETE", key });
    expect((await call(`/v1/posters/${p.id}/print.pdf`, { key })).status).toBe(410);
  });
});
