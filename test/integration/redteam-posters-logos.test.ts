// Red team, offline path: centre logos. Each test performs the attack as a key holder (or a
// stranger) would send it and asserts it fails: a decompression bomb inside a small PNG, markup
// posing as a logo, a logo id nobody uploaded, and a print file made to hold a full-size image
// of one logo per background.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { crc32, deflate, encodeRgbaPng } from "../../src/core/png";
import worker from "../../src/index";
import { BASE, call } from "./helpers";
import { type PosterJson, posterKey } from "./poster-helpers";

const b64 = (bytes: Uint8Array) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

async function upload(png: Uint8Array): Promise<Response> {
  return call("/v1/logos", { method: "POST", key: await posterKey(), json: { png: b64(png) } });
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A well-formed `w` × `h` 8-bit grey PNG whose image data inflates to `rawBytes` bytes. */
async function pngWithImageData(w: number, h: number, rawBytes: number): Promise<Uint8Array> {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, w);
  v.setUint32(4, h);
  ihdr.set([8, 0, 0, 0, 0], 8); // depth 8, grey, deflate, no filter method, not interlaced
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", await deflate(new Uint8Array(rawBytes))), // zeros: filter 0, black pixels
    chunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe("red team: logo uploads", () => {
  it("refuses a decompression bomb: a 16 × 16 PNG whose image data inflates to 8 MiB", async () => {
    // Deflate packs ~1,000:1, so a file under the 40 KiB limit can carry ~40 MiB of image data
    // for a 272-byte picture; decoding it (at upload, and at every PNG/PDF render) would hold
    // all of it in memory.
    const bomb = await pngWithImageData(16, 16, 8 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(40 * 1024);
    const res = await upload(bomb);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body).toMatchObject({ error: "validation_failed", details: { field: "png" } });
    expect(body.message).toMatch(/more image data than/);
    // The same picture with exactly its own image data is a logo.
    expect((await upload(await pngWithImageData(16, 16, 17 * 16))).status).toBe(201);
  });

  it("refuses an animated PNG, whose other frames browsers would show on screen only", async () => {
    // An APNG's first frame is what the PNG and PDF renderers print; the SVG images and the
    // landing page play every frame: a screen could show another code than the printed one.
    const still = await encodeRgbaPng(32, 32, new Uint8Array(32 * 32 * 4).fill(90));
    const actl = new Uint8Array(8);
    new DataView(actl.buffer).setUint32(0, 2); // two frames, played for ever
    const at = 8 + 25; // after the signature and the IHDR chunk
    const apng = new Uint8Array(still.length + 20);
    apng.set(still.subarray(0, at));
    apng.set(chunk("acTL", actl), at);
    apng.set(still.subarray(at), at + 20);
    const res = await upload(apng);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string };
    expect(body).toMatchObject({ details: { field: "png" } });
    expect(body.message).toMatch(/animated/);
    expect((await upload(still)).status).toBeLessThan(300);
  });

  it("refuses a PNG header claiming huge dimensions in a tiny file", async () => {
    const res = await upload(await pngWithImageData(100_000, 100_000, 64));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ details: { field: "png" } });
  });

  it("refuses markup posing as a PNG: an SVG with a script and a PNG signature glued on", async () => {
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
    );
    const glued = new Uint8Array(8 + svg.length);
    glued.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    glued.set(svg, 8);
    for (const file of [svg, glued]) {
      const res = await upload(file);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ details: { field: "png" } });
    }
  });

  it("will not draw a logo id nobody uploaded, by create or by re-styling", async () => {
    const key = await posterKey();
    const forged = { logo: "lg_ffffffffffffffffffffffff" };
    const create = await call("/v1/posters", {
      method: "POST",
      key,
      json: { name: "x", path: "/x", style: forged },
    });
    expect(create.status).toBe(400);
    expect(await create.json()).toMatchObject({ details: { field: "style.logo" } });
    const made = (await (
      await call("/v1/posters", { method: "POST", key, json: { name: "x", path: "/x" } })
    ).json()) as PosterJson;
    const patch = await call(`/v1/posters/${made.id}`, {
      method: "PATCH",
      key,
      json: { style: forged },
    });
    expect(patch.status).toBe(400);
    expect(await patch.json()).toMatchObject({ details: { field: "style.logo" } });
  });
});

describe("red team: logos in a print PDF", () => {
  it("refuses a selection that would embed one full-size logo image per background", async () => {
    // A PDF/X-1a logo is composited over its code's background (no transparency): one CMYK
    // image per logo and background, each held in memory until the file is written. A 512 px
    // logo on 1,200 posters of different backgrounds would be ~1.2 GB.
    const rgba = new Uint8Array(512 * 512 * 4);
    for (let i = 0; i < rgba.length; i += 4) rgba.set([160, 20, 30, (i >> 12) & 0xff], i);
    const logo = (await (await upload(await encodeRgbaPng(512, 512, rgba))).json()) as {
      id: string;
    };
    expect(logo.id).toMatch(/^lg_/);
    const posters = Array.from({ length: 17 }, (_, i) => ({
      name: `bg ${i}`,
      path: "/menu",
      style: {
        logo: logo.id,
        bg: `#ff${(0xf0 + (i % 16)).toString(16)}${(0xe0 + i).toString(16)}`,
      },
    }));
    const res = await call("/v1/posters/batch", {
      method: "POST",
      key: await posterKey(),
      json: { posters },
    });
    expect(res.status).toBe(201);
    const made = ((await res.json()) as { posters: PosterJson[] }).posters;
    const ids = made.map((p) => p.id).join(",");
    const pdf = await call(`/v1/posters/print-sheet.pdf?ids=${ids}`, { key: await posterKey() });
    expect(pdf.status).toBe(400);
    const body = (await pdf.json()) as { message: string };
    expect(body).toMatchObject({ error: "validation_failed", details: { field: "ids" } });
    expect(body.message).toMatch(/logo/);
    // The same posters in smaller selections print.
    const some = made
      .slice(0, 4)
      .map((p) => p.id)
      .join(",");
    const ok = await call(`/v1/posters/print-sheet.pdf?ids=${some}`, { key: await posterKey() });
    expect(ok.status).toBe(200);
  });
});

describe("red team: logo ids in a batch", () => {
  it("refuses 1,000 made-up logo ids after at most 10 lookups, naming the rows", async () => {
    // Each distinct id is an R2 lookup, and an invocation may make 1,000 such operations:
    // a batch naming 1,000 made-up ids must not cost 1,000 of them.
    let heads = 0;
    const base = env as unknown as Record<string, unknown> & { LOGOS: R2Bucket };
    const LOGOS = new Proxy(base.LOGOS, {
      get(bucket, prop) {
        if (prop === "head") heads++;
        const value = Reflect.get(bucket, prop);
        return typeof value === "function" ? value.bind(bucket) : value;
      },
    });
    const posters = Array.from({ length: 1000 }, (_, i) => ({
      name: `l${i}`,
      path: "/l",
      style: { logo: `lg_${i.toString(16).padStart(24, "0")}` },
    }));
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${BASE}/v1/posters/batch`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${await posterKey()}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ posters }),
      }),
      { ...base, LOGOS } as never,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      details: { field: string; row_errors: number; rows: { message: string }[] };
    };
    expect(body.details.field).toBe("posters.0.style.logo");
    expect(body.details.row_errors).toBe(1000);
    expect(body.details.rows.at(-1)!.message).toMatch(/at most 10 different logos/);
    expect(heads).toBeLessThanOrEqual(10);
  });
});
