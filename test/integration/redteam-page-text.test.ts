// Red team: a publishable key is public (it sits in the shop's page) and its `Origin` check binds
// browsers only, so anyone with curl makes handoffs with it. Their landing page is on the shop's
// own bridge domain: if it showed the handoff's `metadata.title`, anyone could print a QR code
// whose page says "Your account is locked: call …" in the shop's look. The page shows a
// handoff's title and subtitle only when a secret key made it; the app still gets the metadata.
import { beforeAll, describe, expect, it } from "vitest";
import { resolve, scan } from "./handoffs-helpers";
import { call, mintKey, mintSecretKey } from "./helpers";

const SHOP = "https://shop.example";
const LOCKED = "Your account is locked: call +1 555 0100";
const SUBTITLE = "Support line <open 24/7>";
const DEFAULT_HEADING = "<h1>Continue in the app</h1>";
const WHATSAPP_PREVIEW = "WhatsApp/2.23.20.0";

let pk: string;
let secret: string;
beforeAll(async () => {
  [pk, secret] = await Promise.all([
    mintKey("publishable", ["handoffs:write"], [SHOP]),
    mintSecretKey(),
  ]);
});

interface Made {
  id: string;
  url: string;
}

/** Create a handoff as curl would: a forged `Origin`, no browser, the attacker's words. */
async function create(key: string): Promise<Made> {
  const res = await call("/v1/handoffs", {
    method: "POST",
    key,
    headers: { origin: SHOP, "user-agent": "curl/8.5.0" },
    json: { path: "/account", metadata: { title: LOCKED, subtitle: SUBTITLE } },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Made;
}

const tokenOf = (h: Made) => h.url.slice(h.url.lastIndexOf("/") + 1);

/** A phone's scan of the link, in English, as the page's text. */
async function phonePage(h: Made, userAgent?: string): Promise<string> {
  const headers: Record<string, string> = { "accept-language": "en" };
  if (userAgent !== undefined) headers["user-agent"] = userAgent;
  const res = await scan(tokenOf(h), headers);
  expect(res.status).toBe(200);
  return res.text();
}

describe("text set through a publishable key never shows on the bridge's pages", () => {
  it("the attacker's title is not on the scan page: the default heading is", async () => {
    const h = await create(pk);
    const page = await phonePage(h);
    expect(page).not.toContain("Your account is locked");
    expect(page).not.toContain("555 0100");
    expect(page).not.toContain("Support line");
    expect(page).toContain(DEFAULT_HEADING);
    expect(page).toContain("<title>Continue in the app</title>");
  });

  it("the same handoff made with a secret key shows its title and subtitle, escaped", async () => {
    const page = await phonePage(await create(secret));
    expect(page).toContain(`<h1>${LOCKED}</h1>`);
    expect(page).toContain("Support line &lt;open 24/7&gt;");
    expect(page).not.toContain("<open 24/7>");
    expect(page).not.toContain(DEFAULT_HEADING);
  });

  it("the app still gets the publishable key's metadata on redeem, with created_by: page", async () => {
    const h = await create(pk);
    await phonePage(h);
    const res = await resolve(h.url);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      kind: "handoff",
      path: "/account",
      created_by: "page",
      metadata: { title: LOCKED, subtitle: SUBTITLE },
    });
  });

  it("a link previewer sees no metadata, whichever key made the handoff", async () => {
    for (const key of [pk, secret]) {
      const page = await phonePage(await create(key), WHATSAPP_PREVIEW);
      expect(page).not.toContain("Your account is locked");
      expect(page).not.toContain("Support line");
      expect(page).toContain(DEFAULT_HEADING);
    }
  });
});
