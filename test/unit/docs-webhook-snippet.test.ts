// The Node receiver docs/webhooks.md tells companies to copy ("Node (no dependency)"), run as
// written against signatures the bridge makes: a receiver that refused real deliveries, or took
// forged ones, would be copied into every integration.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signWebhook, standardWebhookKey } from "../../src/core/webhook-signature";
import { secretTexts, signatureHeaders } from "../../src/store/webhook-secrets";

type Verify = (secret: string, rawBody: string | Buffer, header: string) => boolean;

/** The first ```js block after `heading` in docs/webhooks.md. */
function snippetAfter(heading: string): string {
  const doc = readFileSync(new URL("../../docs/webhooks.md", import.meta.url), "utf8");
  const from = doc.indexOf(heading);
  expect(from, heading).toBeGreaterThan(-1);
  const block = /```js\n([\s\S]*?)\n```/.exec(doc.slice(from));
  expect(block, `a js block after ${heading}`).not.toBeNull();
  return block![1]!;
}

const SECRET = "whsec_c25pcHBldCB0ZXN0IHNlY3JldCBrZXkgYnl0ZXMhIQ";
const NOW_S = 1_780_000_000;
let verifyQrbridge: Verify;
let dir = "";

beforeAll(async () => {
  // The snippet ends with an Express route: `app` and `express` are the receiver's own, given
  // here as the least that lets the module load.
  const code = `const app = { post() {} };\nconst express = { raw() {} };\n${snippetAfter("### Node (no dependency)")}`;
  dir = mkdtempSync(join(tmpdir(), "qb-doc-"));
  const file = join(dir, "receiver.mjs");
  writeFileSync(file, code);
  ({ verifyQrbridge } = (await import(pathToFileURL(file).href)) as { verifyQrbridge: Verify });
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW_S * 1000);
});
afterAll(() => {
  vi.useRealTimers();
  // Loaded by then: the copy on disk is not needed, and every run would leave one behind.
  rmSync(dir, { recursive: true, force: true });
});

describe("docs/webhooks.md: the Node receiver", () => {
  const body = JSON.stringify({ type: "poster.scanned", data: { name: "Bäckerei 東京 ☕" } });

  it("accepts a delivery the bridge signed, as a string and as the raw bytes", async () => {
    const header = await signWebhook(SECRET, body, NOW_S);
    expect(verifyQrbridge(SECRET, body, header)).toBe(true);
    expect(verifyQrbridge(SECRET, Buffer.from(body, "utf8"), header)).toBe(true);
  });

  it("accepts either signature while two secrets are current (rotation)", async () => {
    const header = await signWebhook(["whsec_old_secret_0123456789", SECRET], body, NOW_S);
    expect(verifyQrbridge(SECRET, body, header)).toBe(true);
  });

  it("refuses a body changed by one character, another secret, and a stale or future timestamp", async () => {
    const header = await signWebhook(SECRET, body, NOW_S);
    expect(verifyQrbridge(SECRET, body.replace("東", "西"), header)).toBe(false);
    expect(verifyQrbridge("whsec_someone_else_0123456789", body, header)).toBe(false);
    expect(verifyQrbridge(SECRET, body, await signWebhook(SECRET, body, NOW_S - 301))).toBe(false);
    expect(verifyQrbridge(SECRET, body, await signWebhook(SECRET, body, NOW_S + 301))).toBe(false);
    expect(verifyQrbridge(SECRET, body, await signWebhook(SECRET, body, NOW_S - 300))).toBe(true);
  });

  it("accepts a delivery signed during a rotation with the old secret, either text of it, or the new", async () => {
    // As store/webhook-delivery.ts signs it: the new secret (one text), then the old one, a
    // first secret, with its base64 and its earlier base64url text.
    const oldKey = standardWebhookKey(SECRET)!;
    const old = secretTexts(oldKey);
    const fresh = "whsec_bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbiwgMzIgYnl0ZXM=";
    const { "qb-signature": header } = await signatureHeaders(
      [
        { key: standardWebhookKey(fresh)!, texts: [fresh] },
        { key: oldKey, texts: [old.current, old.legacy] },
      ],
      "whd_rotation",
      NOW_S,
      body,
    );
    expect(header.match(/v1=/g)).toHaveLength(3);
    for (const secret of [fresh, old.current, old.legacy])
      expect(verifyQrbridge(secret, body, header), secret).toBe(true);
    expect(verifyQrbridge("whsec_someone_else_0123456789", body, header)).toBe(false);
  });

  it("refuses headers with no timestamp, no signature, or garbage", async () => {
    const header = await signWebhook(SECRET, body, NOW_S);
    expect(verifyQrbridge(SECRET, body, header.replace(/^t=\d+,/, ""))).toBe(false);
    expect(verifyQrbridge(SECRET, body, `t=${NOW_S}`)).toBe(false);
    expect(verifyQrbridge(SECRET, body, "")).toBe(false);
    expect(verifyQrbridge(SECRET, body, `t=${NOW_S},v1=zz`)).toBe(false);
  });
});
