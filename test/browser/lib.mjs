// Helpers for the browser tests and the clients benchmark: Debian's Chromium through
// playwright-core, QR decoding of screenshots, the app client compiled from its TypeScript.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { decode } from "fast-png";
import jsQR from "jsqr";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const SCREENSHOTS = join(root, "test-results/screenshots");

export const USER_AGENTS = {
  desktop:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  iphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  android:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
  wechat:
    "Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64",
};

/** Path of Debian's Chromium, or null when it is not installed. */
export function chromiumPath() {
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      return execFileSync("which", [name], { encoding: "utf8" }).trim();
    } catch {}
  }
  return null;
}

/** Launch headless Chromium with flags that keep it off the network and quiet. */
export async function launchChromium() {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("chromium is not installed (apt-get install chromium)");
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-dev-shm-usage",
    ],
  });
}

/** Save a screenshot buffer under test-results/screenshots/<name>.png and return its path. */
export function saveScreenshot(name, png) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  writeFileSync(path, png);
  return path;
}

/** Decode the QR code in a PNG (a screenshot or a served 1-bit/palette image); null if none. */
export function decodeQrPng(png) {
  const { width, height, depth, channels, palette, data } = decode(png);
  const rgba = new Uint8ClampedArray(width * height * 4);
  const stride = depth < 8 ? Math.ceil((width * channels * depth) / 8) : width * channels;
  // A sample as 0..255.
  const byte = (v) => (depth === 16 ? v / 257 : depth < 8 ? (v * 255) / (2 ** depth - 1) : v);
  const sample = (y, i) => {
    if (depth >= 8) return data[y * width * channels + i];
    const bit = i * depth;
    return (data[y * stride + (bit >> 3)] >> (8 - depth - (bit & 7))) & (2 ** depth - 1);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      let rgb;
      let alpha = 255;
      if (palette) {
        const c = palette[sample(y, x)];
        rgb = c.slice(0, 3);
        alpha = c[3] ?? 255;
      } else if (channels >= 3) {
        rgb = [0, 1, 2].map((k) => byte(sample(y, x * channels + k)));
        if (channels === 4) alpha = byte(sample(y, x * 4 + 3));
      } else {
        const v = byte(sample(y, x * channels));
        rgb = [v, v, v];
        if (channels === 2) alpha = byte(sample(y, x * 2 + 1));
      }
      // Composite over white, as the image is shown.
      for (let k = 0; k < 3; k++) rgba[o + k] = (rgb[k] * alpha + 255 * (255 - alpha)) / 255;
      rgba[o + 3] = 255;
    }
  }
  return jsQR(rgba, width, height)?.data ?? null;
}

/**
 * The app client (src/client/app.ts), compiled with esbuild and imported, so the tests resolve
 * links exactly as an app using `qrbridge/client` would.
 */
export async function loadAppClient() {
  return loadTypeScript("src/client/app.ts");
}

/** A TypeScript module of this repository, bundled by esbuild and imported into Node. */
export async function loadTypeScript(path) {
  const out = await build({
    entryPoints: [join(root, path)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
  });
  const name = path.replace(/[^a-z0-9]+/gi, "-");
  const file = join(tmpdir(), `qrbridge-${name}-${process.pid}.mjs`);
  writeFileSync(file, out.outputFiles[0].text);
  return import(pathToFileURL(file).href);
}

/** Record, in the page, when `<qr-bridge>` has shown its QR image (ms since navigation start). */
export async function recordQrShown(page) {
  await page.addInitScript(() => {
    document.addEventListener("qrbridge:shown", () => {
      window.__qrShownAt ??= performance.now();
    });
  });
}
