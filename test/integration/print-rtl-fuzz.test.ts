// Store and poster names a shop could type or a CSV import could bring, printed through the
// real Worker in every card language with a right-to-left path: each either prints (print.pdf
// and print.svg answer 200 with a file that reads back) or the API refuses the name with a
// 400 JSON error. Never a 500; markup in a name is text in the SVG.
import { describe, expect, it } from "vitest";
import { escapeXml } from "../../src/pages/print";
import { pdfTexts, readPdf } from "../pdf-reader";
import { call } from "./helpers";
import { posterKey } from "./poster-helpers";
import { notdefPath } from "./print-card-helpers";

const MIX = "מאפיית השוק 24 (Bakery) مخبز السوق ١٢٣ «לחם» [خبز] 3.5/7 Café ‏ab‎ لا لأ لإ لآ ";

const NAMES: Record<string, string> = {
  "200-character RTL/LTR mix": MIX.repeat(4).slice(0, 200),
  "only combining marks": "\u064e\u0651\u05b8\u0301\u0670\u05bc",
  "only bidi controls": "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
  "joiners and bidi controls around letters": "\u2067\u200dشاي\u200c\u2069 \u202eabc\u202c \u200d",
  "a lone high surrogate": "Shop \ud800 שוק",
  "a lone low surrogate at the start": "\udc00مخبز",
  "emoji ZWJ sequences": "👩‍👩‍👧 🏳️‍🌈 Café ☕️ 👍🏽",
  "Thai and Devanagari": "ร้านกาแฟ นมสด नमस्ते दुकान",
  "markup in the name": `<script>alert(1)</script> "&' מאפייה <b>`,
  "C0 controls and U+FFFE": "a\u0000b\u0001\u001f\ufffe\uffffמ\tנ\nס",
  "100 lam-alefs": "لا".repeat(100),
  "200 marks after one letter": `ב${"\u05b8".repeat(199)}`,
  "digits of both kinds with separators": "١٢٣.٤٥ 12,345.67 ۱۲۳:۴۵ 1/2",
  "unbalanced brackets": "((([[[{{{«« שוק ]]}}»",
  "emoji presentation selectors after symbols the fonts have": "Café ©️ ™️ \u00adשוק\u{e0067}",
  "line and paragraph separators": "Shop\u2028מאפייה\u2029مخبز",
};

/** Assert `res` has `status`, its body in the message only when it has not (a PDF is binary). */
async function expectStatus(res: Response, status: number, what: string) {
  if (res.status !== status) expect(res.status, `${what}: ${await res.text()}`).toBe(status);
}

/** POST /v1/stores with `name`: the store, or the refusal (asserted to be a 400 JSON error). */
async function storeNamed(name: string): Promise<string | null> {
  const res = await call("/v1/stores", { method: "POST", key: await posterKey(), json: { name } });
  if (res.status === 201) return ((await res.json()) as { id: string }).id;
  await expectStatus(res.clone(), 400, "store refused");
  const body = (await res.json()) as { error: string; message: string };
  expect(typeof body.error).toBe("string");
  expect(typeof body.message).toBe("string");
  return null;
}

/** POST /v1/posters in that store, named `name` too (its name prints as the card's label). */
async function posterNamed(storeId: string, name: string) {
  const key = await posterKey();
  const json = { name, path: "/menu", store_id: storeId };
  let res = await call("/v1/posters", { method: "POST", key, json });
  if (res.status === 400) {
    // The poster name's own rules may refuse it: still print the store name on a plain poster.
    const body = (await res.json()) as { error: string };
    expect(typeof body.error).toBe("string");
    res = await call("/v1/posters", { method: "POST", key, json: { ...json, name: "Door" } });
  }
  await expectStatus(res.clone(), 201, "poster");
  return (await res.json()) as { id: string };
}

describe("print files of stores with adversarial names", () => {
  for (const [what, name] of Object.entries(NAMES)) {
    it(`${what}: prints in en, he and ar, or is refused with a 400`, async () => {
      const storeId = await storeNamed(name);
      if (storeId === null) return;
      const poster = await posterNamed(storeId, name);
      const key = await posterKey();
      for (const lang of ["en", "he", "ar"]) {
        const pdf = await call(`/v1/posters/${poster.id}/print.pdf?size=5cm&lang=${lang}`, { key });
        await expectStatus(pdf.clone(), 200, `${lang} pdf`);
        const { pages, fonts } = await readPdf(new Uint8Array(await pdf.arrayBuffer()));
        const lines = pdfTexts(pages[0]!.content, fonts);
        // The card's own lines (call to action, code, manual line) are there whatever the name.
        expect(lines.length, lang).toBeGreaterThanOrEqual(3);

        const svgRes = await call(`/v1/posters/${poster.id}/print.svg?lang=${lang}`, { key });
        await expectStatus(svgRes.clone(), 200, `${lang} svg`);
        const svg = await svgRes.text();
        expect(svg.startsWith("<svg") || svg.startsWith("<?xml"), lang).toBe(true);
        // Markup in a name is text: no element of it, and every aria-label a clean attribute.
        expect(svg).not.toContain("<script");
        expect(svg).not.toContain("<b>");
        for (const [, label] of svg.matchAll(/aria-label="([^"]*)"/g))
          expect(label, lang).not.toMatch(/[<>]/);
        // No character XML forbids anywhere (it would make the whole file unreadable).
        expect(svg).not.toMatch(
          // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
          /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
        );
      }
    });
  }

  it("labels a name with markup as escaped text, the way escapeXml writes it", async () => {
    const name = NAMES["markup in the name"]!;
    const storeId = await storeNamed(name);
    expect(storeId).not.toBeNull();
    const poster = await posterNamed(storeId!, "Door");
    const res = await call(`/v1/posters/${poster.id}/print.svg?lang=he`, {
      key: await posterKey(),
    });
    expect(res.status).toBe(200);
    const svg = await res.text();
    const labels = [...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]);
    // The name line is cut to the card's width; what is kept is the name's start, escaped.
    const named = labels.find((l) => l!.startsWith("&lt;script&gt;"));
    expect(named, labels.join(" | ")).toBeDefined();
    expect(escapeXml(name).startsWith(named!.replace(/…$/, ""))).toBe(true);
  });

  it("draws no box for what is not meant to be seen: presentation selectors, tags, separators", async () => {
    const boxes = await Promise.all(["sc-700", "he-700", "ar-700"].map(notdefPath));
    for (const what of [
      "emoji presentation selectors after symbols the fonts have",
      "line and paragraph separators",
    ]) {
      const storeId = await storeNamed(NAMES[what]!);
      expect(storeId, what).not.toBeNull();
      const poster = await posterNamed(storeId!, "Door");
      for (const lang of ["en", "he", "ar"]) {
        const res = await call(`/v1/posters/${poster.id}/print.svg?lang=${lang}`, {
          key: await posterKey(),
        });
        expect(res.status).toBe(200);
        const paths = [...(await res.text()).matchAll(/<path id="g\d+" d="([^"]*)"\/>/g)];
        for (const box of boxes)
          expect(
            paths.map((m) => m[1]),
            `${what} ${lang}`,
          ).not.toContain(box);
      }
    }
  });

  it("prints one sheet of every adversarial name, with an adversarial call to action, in en, he and ar", async () => {
    const key = await posterKey();
    const ids: string[] = [];
    for (const name of Object.values(NAMES).slice(0, 12)) {
      const storeId = await storeNamed(name);
      if (storeId !== null) ids.push((await posterNamed(storeId, name)).id);
    }
    expect(ids.length).toBeGreaterThan(0);
    // The call to action comes from the query (≤ 80 characters): the same mix of directions,
    // marks, controls and markup.
    const cta = encodeURIComponent(`${NAMES["200-character RTL/LTR mix"]!.slice(0, 60)}<i>\u200f٣`);
    for (const lang of ["en", "he", "ar"]) {
      const query = `ids=${ids.join(",")}&lang=${lang}&cta=${cta}`;
      const pdf = await call(`/v1/posters/print-sheet.pdf?${query}`, { key });
      await expectStatus(pdf.clone(), 200, `${lang} sheet pdf`);
      const { pages, fonts } = await readPdf(new Uint8Array(await pdf.arrayBuffer()));
      expect(pdfTexts(pages[0]!.content, fonts).length, lang).toBeGreaterThan(3 * ids.length);
      const svg = await call(`/v1/posters/print-sheet.svg?${query}`, { key });
      await expectStatus(svg.clone(), 200, `${lang} sheet svg`);
      const text = await svg.text();
      expect(text).not.toContain("<script");
      expect(text).not.toContain("<i>");
    }
  });
});
