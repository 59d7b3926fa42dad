// The styled codes part of scripts/check-print.mjs: posters with colours, dots, rounded finders
// and centre logos up to the largest size accepted, each decoded by zbarimg as the PNG of
// /qr/p/… and on a print PDF sheet. A dark solid logo is the worst case.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fetchRetrying, logoPng } from "../bench/lib.mjs";
import { sheetCodes, zbar } from "./check-print-tools.mjs";

/**
 * Make styled posters with `key` through `api` (the check's authenticated fetch), and `check`
 * that each decodes as a PNG and all of them on a print sheet; files are written to `dir`.
 *
 * @example
 * await checkStyledCodes({ api, key, dir, check });
 */
export async function checkStyledCodes({ api, key, dir, check }) {
  const upload = async (png) =>
    (
      await (
        await api("/v1/logos", {
          method: "POST",
          key,
          body: JSON.stringify({ png: png.toString("base64") }),
        })
      ).json()
    ).id;
  const disc = await upload(
    logoPng(96, 96, (x, y) =>
      (x - 48) ** 2 + (y - 48) ** 2 < 46 ** 2
        ? (x >> 4) % 2
          ? [183, 28, 28, 255]
          : [255, 193, 7, 255]
        : [0, 0, 0, 0],
    ),
  );
  const block = await upload(logoPng(120, 60, () => [0, 0, 0, 255]));
  const STYLES = [
    { fg: "#1a237e", modules: "dots", finder: "rounded", finder_color: "#b71c1c" },
    { fg: "#004d40", bg: "#fff8e1", modules: "rounded", logo: disc },
    { logo: block, logo_size: 0.33 },
    {
      fg: "#4a148c",
      bg: "#e3f2fd",
      modules: "dots",
      finder: "rounded",
      logo: disc,
      logo_size: 0.25,
    },
    { fg: "#3e2723", modules: "rounded", finder: "rounded", logo: block, logo_size: 0.2 },
  ];
  const styled = [];
  for (const [i, style] of STYLES.entries()) {
    const body = JSON.stringify({ name: `styled ${i}`, path: `/s/${i}`, style });
    styled.push(await (await api("/v1/posters", { method: "POST", key, body })).json());
  }
  for (const [i, p] of styled.entries()) {
    const file = join(dir, `styled-${i}.png`);
    writeFileSync(file, new Uint8Array(await (await fetchRetrying(p.qr.png)).arrayBuffer()));
    const got = zbar(file);
    check(got === p.url, `styled ${i} ${JSON.stringify(STYLES[i])}: PNG decodes`);
  }
  const sheet = join(dir, "styled-sheet.pdf");
  const ids = styled.map((p) => p.id).join(",");
  writeFileSync(
    sheet,
    new Uint8Array(
      await (await api(`/v1/posters/print-sheet.pdf?ids=${ids}`, { key })).arrayBuffer(),
    ),
  );
  const styledCodes = sheetCodes(sheet, dir);
  check(
    JSON.stringify(styledCodes.sort()) === JSON.stringify(styled.map((p) => p.url).sort()),
    `styled print PDF: zbarimg decodes all ${styled.length} styled codes`,
  );
}
