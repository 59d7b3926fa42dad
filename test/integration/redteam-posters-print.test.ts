// Red team, offline path: the print kit and the QR images. Markup smuggled through a store
// name, a label or the call to action into print SVGs, characters that make the SVG stop
// being XML, and sizes, scales, margins and pages meant to make the Worker allocate a huge
// image (each must be a clear 400).
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../src/limits";
import { BASE, call, hopCapturingWorker, windowedLimiter } from "./helpers";
import { makePoster, makeStore, posterKey } from "./poster-helpers";

/** Characters XML 1.0 forbids: an SVG holding one does not parse, so nothing prints. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const MARKUP = `</text><script>alert(1)</script><image href="https://evil.example/x.png"/><a xlink:href="javascript:alert(2)">`;

/** No element or attribute of the attacker's got in: every `<` starts one of the kit's own. */
function expectOnlyOwnMarkup(svg: string) {
  // The attacker's text may show (escaped, as text): only elements of its own would be a hole.
  expect(svg).not.toMatch(/<script|<a[\s>]|<image href="https:\/\/evil/i);
  expect(NOT_XML.test(svg)).toBe(false);
}

/** 121 distinct poster ids: one more than a sheet selection takes. */
const MANY_IDS = Array.from({ length: 121 }, (_, i) => `ZZZ${String(i).padStart(3, "0")}`).join(
  ",",
);

async function get(path: string): Promise<Response> {
  return call(path, { key: await posterKey() });
}

describe("red team: markup in the print SVGs", () => {
  it("escapes a store name, label and call to action made of markup, card and sheet", async () => {
    const store = await makeStore(`Shop ${MARKUP}`);
    const p = await makePoster({ store_id: store.id, label: `Label ${MARKUP}`.slice(0, 100) });
    const cta = encodeURIComponent(MARKUP.slice(0, 80));
    for (const path of [
      `/v1/posters/${p.id}/print.svg?cta=${cta}`,
      `/v1/posters/print-sheet.svg?ids=${p.id}&cta=${cta}`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
      expectOnlyOwnMarkup(await res.text());
    }
  });

  it("keeps the SVG well-formed XML with noncharacters and controls in every text", async () => {
    // U+FFFE / U+FFFF are valid UTF-8 and JSON but not XML: one such label broke the whole
    // sheet of 12 cards for the browser, the RIP and the design tool.
    const store = await makeStore("Store \uFFFE\u0008 end");
    const p = await makePoster({ store_id: store.id, label: "Label \uFFFF\u000B end" });
    for (const path of [
      `/v1/posters/${p.id}/print.svg?cta=${encodeURIComponent("Go \uFFFE\u0001 now")}`,
      `/v1/posters/print-sheet.svg?ids=${p.id}&cta=%EF%BF%BF`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      const svg = await res.text();
      expectOnlyOwnMarkup(svg);
      expect(svg).toContain("Store");
      expect(svg).toContain("Label");
    }
  });
});

describe("red team: sizes that would make huge images", () => {
  it("refuses print sizes, pages and parts past their bounds with a 400 naming the field", async () => {
    const p = await makePoster();
    for (const [path, field] of [
      [`/v1/posters/${p.id}/print.svg?size=999999mm`, "size"],
      [`/v1/posters/${p.id}/print.svg?size=1e9`, "size"],
      [`/v1/posters/${p.id}/print.svg?size=-50`, "size"],
      [`/v1/posters/${p.id}/print.pdf?size=201mm`, "size"],
      [`/v1/posters/${p.id}/print.svg?size=Infinity`, "size"],
      [`/v1/posters/print-sheet.svg?ids=${p.id}&page=0`, "page"],
      [`/v1/posters/print-sheet.svg?ids=${p.id}&page=1e400`, "page"],
      [`/v1/posters/print-sheet.pdf?ids=${p.id}&part=-1`, "part"],
      [`/v1/posters/print-sheet.svg?ids=${MANY_IDS}`, "ids"],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as { error: string; details: { field?: string } };
      expect(body.error, path).toBe("validation_failed");
      expect(JSON.stringify(body.details), path).toContain(field);
    }
    // A page far past the end is a plain 404, not a query for row 10^17.
    const far = await get(`/v1/posters/print-sheet.svg?ids=${p.id}&page=9007199254740991`);
    expect(far.status).toBe(404);
  });

  it("refuses QR image sizes, scales and margins past their bounds with a 400", async () => {
    const p = await makePoster();
    const base = new URL(p.qr.png).pathname;
    const svgBase = new URL(p.qr.svg).pathname;
    for (const [path, field] of [
      [`${base}?scale=33`, "scale"],
      [`${base}?scale=99999`, "scale"],
      [`${base}?size=4097`, "size"],
      [`${base}?size=100000000`, "size"],
      [`${base}?size=1e9`, "size"],
      [`${base}?margin=17`, "margin"],
      [`${base}?margin=-1`, "margin"],
      [`${base}?size=30mm`, "size"],
      [`${svgBase}?size=1000000mm`, "size"],
      [`${svgBase}?size=99999in`, "size"],
    ] as const) {
      const res = await call(path);
      expect(res.status, path).toBe(400);
      expect(await res.json(), path).toMatchObject({
        error: "validation_failed",
        details: { field },
      });
    }
    // The largest accepted PNG stays bounded: 32 px a module, 16 modules of margin.
    const big = await call(`${base}?scale=32&margin=16`);
    expect(big.status).toBe(200);
    const png = new Uint8Array(await big.arrayBuffer());
    const width = new DataView(png.buffer).getUint32(16);
    expect(width).toBeLessThanOrEqual(4096);
  });
});

describe("red team: guessing a poster code's MAC through the QR image route", () => {
  it("spends the failure budget on forged codes: 429 past it, real codes still drawn", async () => {
    // A 20-bit MAC is ~1M guesses per id; /p, /h, /c and resolve hold a client to 30 failures
    // a minute, and /qr answered 400 or 200 to every guess without a limit.
    const p = await makePoster();
    const { send } = hopCapturingWorker({ FAILURE_LIMITER: windowedLimiter(RATE_LIMITS.failures) });
    const ip = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}::7`;
    const get = (path: string) =>
      send(new Request(`${BASE}${path}`, { headers: { "cf-connecting-ip": ip } }));
    const statuses: number[] = [];
    for (let mac = 0; mac <= RATE_LIMITS.failures; mac++) {
      const guess = `${p.id}${mac.toString(32).toUpperCase().padStart(4, "0")}`;
      if (guess === p.code) continue;
      statuses.push((await get(`/qr/p/${guess}.svg`)).status);
    }
    expect(statuses.slice(0, RATE_LIMITS.failures)).toEqual(Array(RATE_LIMITS.failures).fill(400));
    const over = await get(`/qr/p/${p.id}ZZZZ.png`);
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).toBe("60");
    expect(await over.json()).toMatchObject({ error: "rate_limited" });
    // The poster's own image is never held back.
    expect((await get(new URL(p.qr.svg).pathname)).status).toBe(200);
  });
});

describe("red team: styled QR images as a keyless CPU and memory sink", () => {
  it("refuses styled PNGs past 1,024 px with a 400; plain ones and smaller styled ones draw", async () => {
    // Anyone may ask /qr for a new colour (a cache miss each time): a dotted 4,096-px-class
    // PNG cost ~140 ms of CPU, and with a logo ~45 MB of memory, per request.
    const p = await makePoster({ style: { modules: "dots", finder: "rounded" } });
    const png = new URL(p.qr.png).pathname;
    for (const [query, field] of [
      ["?scale=32&margin=16", "scale"],
      ["?scale=32&margin=16&fg=%23123456", "scale"],
      ["?size=2048", "size"],
    ] as const) {
      const res = await call(`${png}${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { message: string };
      expect(body, query).toMatchObject({ error: "validation_failed", details: { field } });
      expect(body.message, query).toMatch(/max 1024/);
    }
    const small = await call(`${png}?scale=12`);
    expect(small.status).toBe(200);
    expect(
      new DataView((await small.arrayBuffer()) as ArrayBuffer).getUint32(16),
    ).toBeLessThanOrEqual(1024);
    // The plain code keeps its larger bound.
    const plain = await makePoster();
    const big = await call(`${new URL(plain.qr.png).pathname}?scale=32&margin=16`);
    expect(big.status).toBe(200);
  });
});
