import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { call } from "./helpers";
import { makePoster, makeStore, type PosterJson, posterKey } from "./poster-helpers";

const PX = 6; // pixels per module in the test raster

interface QrGroup {
  modules: number;
  quiet: number;
  /** Module size in mm (the group's scale). */
  moduleMm: number;
  path: string;
}

/** Every QR group of a print SVG: `<g class="qr" data-modules data-quiet transform="… scale(s)"><rect/><path d/>`. */
function qrGroups(svg: string): QrGroup[] {
  const re =
    /<g class="qr" data-modules="(\d+)" data-quiet="(\d+)" transform="translate\([\d. ]+\) scale\(([\d.]+)\)"><rect [^>]*\/><path fill="#000" d="([^"]*)"\/><\/g>/g;
  return [...svg.matchAll(re)].map((m) => ({
    modules: Number(m[1]),
    quiet: Number(m[2]),
    moduleMm: Number(m[3]),
    path: m[4]!,
  }));
}

/** Rasterise the `M x y h w v1 h-w z` runs into an RGBA bitmap (quiet zone included) and decode it. */
function decode(g: QrGroup): string | null {
  const side = g.modules + 2 * g.quiet;
  const w = side * PX;
  const rgba = new Uint8ClampedArray(w * w * 4).fill(255);
  const runs = [...g.path.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)];
  expect(runs.length).toBeGreaterThan(0);
  expect(runs.map((r) => r[0]).join("")).toBe(g.path); // nothing in the path we did not read
  for (const [, x, y, len] of runs) {
    for (let col = Number(x); col < Number(x) + Number(len); col++) {
      for (let py = Number(y) * PX; py < (Number(y) + 1) * PX; py++) {
        for (let px = col * PX; px < (col + 1) * PX; px++) {
          const i = (py * w + px) * 4;
          rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
        }
      }
    }
  }
  return jsQR(rgba, w, w)?.data ?? null;
}

/** The texts of a print SVG: outlined texts carry theirs in `aria-label` (XML-unescaped here). */
function svgTexts(svg: string): string[] {
  const unXml = (t: string) =>
    t.replace(
      /&(lt|gt|amp|quot|apos);/g,
      (_, e: string) => ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" })[e]!,
    );
  return [...svg.matchAll(/<g class="text[^"]*" aria-label="([^"]*)"/g)].map((m) => unXml(m[1]!));
}

async function printSvg(id: string, query = ""): Promise<Response> {
  return call(`/v1/posters/${id}/print.svg${query}`, { key: await posterKey() });
}

describe("GET /v1/posters/:id/print.svg", () => {
  it("is a print-ready card whose QR decodes to the poster URL at the chosen size", async () => {
    const store = await makeStore("Café <A&B>");
    const p = await makePoster({ store_id: store.id });
    const res = await printSvg(p.id, "?size=50mm");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    const svg = await res.text();
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" [^>]*width="[\d.]+mm" height="[\d.]+mm"/,
    );
    // Texts are outlines of the embedded fonts: no font needed to render them, none named.
    expect(res.headers.get("x-print-fonts")).toBe("outlines");
    expect(svg).not.toContain("<text");
    expect(svg).toMatch(/<defs><path id="g0" d="M[^"]+Z"\/>/);
    const [g, ...more] = qrGroups(svg);
    expect(more).toEqual([]);
    expect(decode(g!)).toBe(p.url);
    // The symbol is 50 mm wide; the quiet zone (4 modules) is added around it.
    expect(g!.quiet).toBe(4);
    expect(g!.modules * g!.moduleMm).toBeCloseTo(50, 2);
    expect(svg).toContain('aria-label="Café &lt;A&amp;B&gt;"');
    expect(svg).not.toContain("<A&B>");
    const texts = svgTexts(svg);
    expect(texts).toEqual([
      "Café <A&B>",
      "Scan with your phone camera",
      p.display_code,
      "No camera? Enter the code at qr.test/c",
    ]);
  });

  it("takes cm, inches and a custom call to action (escaped), in Chinese too", async () => {
    const p = await makePoster();
    const cm = qrGroups(await (await printSvg(p.id, "?size=3cm")).text())[0]!;
    expect(cm.modules * cm.moduleMm).toBeCloseTo(30, 2);
    const inch = qrGroups(await (await printSvg(p.id, "?size=2in")).text())[0]!;
    expect(inch.modules * inch.moduleMm).toBeCloseTo(50.8, 2);
    const cta = await (
      await printSvg(p.id, `?cta=${encodeURIComponent('Win a "free" <coffee>')}`)
    ).text();
    expect(cta).toContain("Win a &quot;free&quot; &lt;coffee&gt;");
    for (const [lang, text] of [
      ["zh", "用手机相机扫码"],
      ["zh-Hant", "用手機相機掃碼"],
      ["ja", "スマホのカメラで読み取ってください"],
      ["ko", "휴대폰 카메라로 스캔하세요"],
    ]) {
      const svg = await (await printSvg(p.id, `?lang=${lang}`)).text();
      expect(svgTexts(svg), lang).toContain(text);
    }
  });

  it("prints the default call to action for one made only of control characters", async () => {
    // Found by the fuzz test: `cta=%00` left nothing to draw, and drawing nothing threw.
    const p = await makePoster();
    for (const [query, text] of [
      ["?cta=%00&lang=zh", "用手机相机扫码"],
      ["?cta=%01%1F%7F", "Scan with your phone camera"],
    ]) {
      const res = await printSvg(p.id, query);
      expect(res.status, query).toBe(200);
      expect(svgTexts(await res.text()), query).toContain(text);
    }
    const pdf = await call(`/v1/posters/${p.id}/print.pdf?cta=%00`, { key: await posterKey() });
    expect(pdf.status).toBe(200);
  });

  it("refuses bad sizes, deleted posters and callers without a key", async () => {
    const p = await makePoster();
    for (const size of ["5mm", "300mm", "big", "50px"]) {
      const res = await printSvg(p.id, `?size=${size}`);
      expect(res.status, size).toBe(400);
      expect(await res.json()).toMatchObject({ details: { field: "size" } });
    }
    expect((await call(`/v1/posters/${p.id}/print.svg`)).status).toBe(401);
    await call(`/v1/posters/${p.id}`, { method: "DELETE", key: await posterKey() });
    expect((await printSvg(p.id)).status).toBe(410);
    expect((await printSvg("ZZZZZZ")).status).toBe(404);
  });
});

describe("GET /v1/posters/print-sheet.svg", () => {
  it("lays out 12 cards per A4 page with crop marks; every QR decodes to its poster", async () => {
    const store = await makeStore("Sheet store");
    const res = await call("/v1/posters/batch", {
      method: "POST",
      key: await posterKey(),
      json: {
        posters: Array.from({ length: 14 }, (_, i) => ({
          name: `Internal name ${i}`,
          path: "/aisle",
          store_id: store.id,
          campaign: "Sheet campaign",
          ...(i % 2 ? { label: `Shelf ${i}` } : {}),
        })),
      },
    });
    const { posters } = (await res.json()) as { posters: PosterJson[] };
    const ids = posters.map((p) => p.id).join(",");
    const page1 = await call(`/v1/posters/print-sheet.svg?ids=${ids}`, { key: await posterKey() });
    expect(page1.status).toBe(200);
    expect(page1.headers.get("x-total-pages")).toBe("2");
    expect(page1.headers.get("link")).toMatch(/page=2>; rel="next"$/);
    const svg = await page1.text();
    expect(svg).toContain('width="210mm" height="297mm" viewBox="0 0 210 297"');
    expect(svg).toMatch(/<path class="crop-marks" d="M[^"]+"/);
    const groups = qrGroups(svg);
    expect(groups.map(decode)).toEqual(posters.slice(0, 12).map((p) => p.url));
    const texts = svgTexts(svg);
    expect(texts).toContain("Shelf 11");
    expect(texts).not.toContain("Shelf 10"); // no label, nothing printed
    expect(texts.some((t) => t.startsWith("Internal name"))).toBe(false); // names never print
    expect(texts).toContain(posters[0]!.display_code);

    const page2 = await call(`/v1/posters/print-sheet.svg?ids=${ids}&page=2`, {
      key: await posterKey(),
    });
    expect(qrGroups(await page2.text()).map(decode)).toEqual(posters.slice(12).map((p) => p.url));
    expect(page2.headers.get("link")).toBeNull();

    const byCampaign = await call(
      `/v1/posters/print-sheet.svg?campaign_id=${posters[0]!.campaign_id}`,
      {
        key: await posterKey(),
      },
    );
    expect(byCampaign.headers.get("x-total-pages")).toBe("2");
    // A campaign's sheet is in the order the posters were created (the batch's order), not by id.
    expect(qrGroups(await byCampaign.text()).map(decode)).toEqual(
      posters.slice(0, 12).map((p) => p.url),
    );
  });

  it("names missing ids and refuses a sheet without a selection", async () => {
    const key = await posterKey();
    const none = await call("/v1/posters/print-sheet.svg", { key });
    expect(none.status).toBe(400);
    const missing = await call("/v1/posters/print-sheet.svg?ids=ZZZZZZ", { key });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ details: { missing: ["ZZZZZZ"] } });
  });
});

describe("GET /c (manual entry)", () => {
  it("shows the form, redirects a valid code in any form to its scan page, and refuses others", async () => {
    const form = await call("/c");
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('<form method="get" action="/c"');
    expect(html).toContain('name="code"');

    const p = await makePoster();
    const typed = `${p.display_code.toLowerCase()}`;
    const ok = await call(`/C?code=${encodeURIComponent(` ${typed} `)}`, { redirect: "manual" });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe(`/p/${p.code}`);

    for (const code of [
      `${p.code.slice(0, 9)}${p.code.endsWith("0") ? "1" : "0"}`,
      "//evil.example",
      "<script>",
    ]) {
      const bad = await call(`/c?code=${encodeURIComponent(code)}`, { redirect: "manual" });
      expect(bad.status).toBe(400);
      expect(bad.headers.get("location")).toBeNull();
      const page = await bad.text();
      expect(page).toContain('role="alert"');
      expect(page).not.toContain("<script>");
    }
  });
});
