#!/usr/bin/env node
// Print check (`npm run check:print`, run by .ci/run): the real Worker under `wrangler dev`
// (the print kit module and the PRINT_FONTS assets as deployed) prints posters of stores named
// in Latin, Simplified and Traditional Chinese, Japanese and Korean, and poppler and zbar,
// which have no CJK fonts here, check what a print shop would get:
//   pdffonts   every font embedded (emb yes, with a ToUnicode map)
//   pdftotext  every store name back exactly
//   pdftoppm + zbarimg  every QR on every page decodes to its poster
// Needs poppler-utils and zbar-tools (Debian); exits non-zero on any failure.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADMIN_KEY, startWorker } from "../bench/lib.mjs";

const NAMES = [
  "Shibuya 渋谷店",
  "新宿店 (East)",
  "臺北 信義店",
  "서울 강남점",
  "しぶや 渋谷",
  "Café Zürich",
];
const dir = mkdtempSync(join(tmpdir(), "qrbridge-print-"));
// zbarimg writes D-Bus noise to stderr on machines without a session bus: keep stderr out.
const run = (cmd, args) =>
  execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
};

const worker = await startWorker();
try {
  const api = async (path, init = {}) => {
    const res = await fetch(`${worker.url}${path}`, {
      ...init,
      headers: {
        "content-type": "application/json",
        ...init.headers,
        authorization: `Bearer ${init.key ?? ADMIN_KEY}`,
      },
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  const key = (
    await (
      await api("/v1/keys", {
        method: "POST",
        body: JSON.stringify({ name: "print check", kind: "secret", scopes: ["posters:write"] }),
      })
    ).json()
  ).key;
  const posters = [];
  for (const name of NAMES) {
    const store = await (
      await api("/v1/stores", { method: "POST", key, body: JSON.stringify({ name }) })
    ).json();
    const body = JSON.stringify({
      name: `internal ${name}`,
      path: "/menu",
      store_id: store.id,
      campaign: "print check",
    });
    posters.push(await (await api("/v1/posters", { method: "POST", key, body })).json());
  }
  for (const lang of ["en", "zh", "zh-Hant", "ja", "ko"]) {
    const ids = posters.map((p) => p.id).join(",");
    const pdf = new Uint8Array(
      await (
        await api(`/v1/posters/print-sheet.pdf?ids=${ids}&lang=${lang}`, { key })
      ).arrayBuffer(),
    );
    const file = join(dir, `sheet-${lang}.pdf`);
    writeFileSync(file, pdf);
    const fonts = run("pdffonts", [file]).trim().split("\n").slice(2);
    check(
      fonts.length > 0 && fonts.every((l) => / yes yes yes /.test(l)),
      `${lang}: pdffonts: ${fonts.length} fonts, all embedded subsets with ToUnicode`,
    );
    const text = run("pdftotext", [file, "-"]);
    for (const name of NAMES)
      check(text.includes(name), `${lang}: pdftotext gives back ${JSON.stringify(name)}`);
    check(!text.includes("internal "), `${lang}: the posters' internal names are not printed`);
    run("pdftoppm", ["-r", "150", "-png", file, join(dir, `page-${lang}`)]);
    const pages = readdirSync(dir).filter((f) => f.startsWith(`page-${lang}`));
    const decoded = pages.flatMap((p) =>
      run("zbarimg", ["-q", "--raw", join(dir, p)])
        .trim()
        .split("\n")
        .filter(Boolean),
    );
    const want = posters.map((p) => p.url).sort();
    check(
      JSON.stringify(decoded.sort()) === JSON.stringify(want),
      `${lang}: zbarimg decodes all ${want.length} QR codes of ${pages.length} page(s)`,
    );
  }
  const card = new Uint8Array(
    await (await api(`/v1/posters/${posters[0].id}/print.pdf?size=40mm`, { key })).arrayBuffer(),
  );
  writeFileSync(join(dir, "card.pdf"), card);
  const boxes = run("pdfinfo", ["-box", join(dir, "card.pdf")]);
  check(/TrimBox:/.test(boxes) && /BleedBox:/.test(boxes), "card: trim and bleed boxes set");
  check(
    run("pdftotext", [join(dir, "card.pdf"), "-"]).includes(NAMES[0]),
    "card: store name exact",
  );
} finally {
  await worker.stop();
  if (failures === 0) rmSync(dir, { recursive: true, force: true });
  else console.log(`files kept in ${dir}`);
}
console.log(`print check: ${failures === 0 ? "all passed" : `${failures} failed`}`);
process.exit(failures ? 1 : 0);
