// A tap is not a scan: `<qr-bridge>` on a phone offers its handoff's link marked
// `qb_via=same_device`. The scan page and the resolve read the marker into the hops' `via`, the
// landing page hands it on to its app links, and the funnel grouped by `via` shows the taps on a
// row of their own. The marker is a label: the signed token is the link's path, untouched, and
// an unknown value is ignored. (Fresh storage: the funnel's totals are this file's hops alone.)
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import type { FunnelResult } from "../../src/store/stats";
import {
  type Created,
  createHandoff,
  eventually,
  IPHONE_UA,
  resolve,
  scan,
  tokenOf,
} from "./handoffs-helpers";
import { call, mintKey, mintSecretKey } from "./helpers";
import { waitForHops } from "./hop-helpers";

const viaOf = (h: { detail: Record<string, unknown> | null }) => h.detail?.via;

/** The hop `hop` of handoff `h`, once it arrived. */
async function hopOf(h: Created, hop: HopRow["hop"]) {
  const [row] = await waitForHops({ subject_id: h.id, hop }, 1);
  return row!;
}

/** The https app links of a landing page (universal link, copied link), `&amp;` decoded. */
function bridgeLinks(html: string): string[] {
  return [...html.matchAll(/"(HTTPS:\/\/QR\.TEST\/H\/[^"]*)"/g)].map((m) =>
    m[1]!.replace(/&amp;/g, "&"),
  );
}

describe("a same-device tap on the widget's link", () => {
  it("its landing page counts the scan as `same_device` and hands the marker to the app", async () => {
    const h = await createHandoff(await mintSecretKey(), { path: "/cart/1" });
    const page = await scan(`${tokenOf(h)}?qb_via=same_device`);
    expect(page.status).toBe(200);
    const links = bridgeLinks(await page.text());
    // The universal link carries the marker after the token, which stays as it was signed.
    const universal = links.find((l) => new URL(l).search === "?qb_via=same_device");
    expect(universal, links.join("\n")).toBeDefined();
    expect(new URL(universal!).pathname).toBe(new URL(h.url).pathname);

    const scanned = await hopOf(h, "scanned");
    expect(viaOf(scanned)).toBe("same_device");
    expect(scanned.platform).toBe("ios");
    // The app, opened by that universal link, resolves it: the redemption says the same way.
    expect((await resolve(universal!)).status).toBe(200);
    expect(viaOf(await hopOf(h, "redeemed"))).toBe("same_device");
  });

  it("an app opened straight from the tapped link records the scan as `same_device`", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { n: 2 } });
    const res = await resolve(`${h.url}?qb_via=same_device`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { payload: unknown }).payload).toEqual({ n: 2 });
    expect(viaOf(await hopOf(h, "scanned"))).toBe("same_device");
    expect(viaOf(await hopOf(h, "redeemed"))).toBe("same_device");
  });

  it("a copied link of a tapped page says `clipboard`: the page's later marker wins", async () => {
    const h = await createHandoff(await mintSecretKey());
    await scan(`${tokenOf(h)}?qb_via=same_device`);
    const res = await resolve(`${h.url}?qb_via=same_device&qb_via=clipboard`);
    expect(res.status).toBe(200);
    expect(viaOf(await hopOf(h, "redeemed"))).toBe("clipboard");
  });
});

describe("an unknown marker is ignored", () => {
  it("a scan page counts `page`, and echoes nothing of it", async () => {
    const h = await createHandoff(await mintSecretKey());
    const evil = encodeURIComponent('same_device"><script>alert(1)</script>');
    const page = await scan(`${tokenOf(h)}?qb_via=${evil}&qb_via=install_referrer`, {
      "user-agent": IPHONE_UA,
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain("alert(1)");
    expect(html).not.toContain("qb_via=same_device");
    expect(viaOf(await hopOf(h, "scanned"))).toBe("page");
  });

  it("a resolve counts the app's own `app` scan and a `direct` redemption", async () => {
    const h = await createHandoff(await mintSecretKey());
    expect((await resolve(`${h.url}?qb_via=same_devicee`)).status).toBe(200);
    expect(viaOf(await hopOf(h, "scanned"))).toBe("app");
    expect(viaOf(await hopOf(h, "redeemed"))).toBe("direct");
  });

  it("the token is the capability: a marker on a forged token is still a 404", async () => {
    const h = await createHandoff(await mintSecretKey());
    const forged = `${tokenOf(h).slice(0, -1)}${tokenOf(h).endsWith("A") ? "B" : "A"}`;
    expect((await scan(`${forged}?qb_via=same_device`)).status).toBe(404);
    const res = await resolve(`https://qr.test/h/${forged}?qb_via=same_device`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_token");
  });
});

describe("the funnel grouped by via", () => {
  it("shows the taps on their own row, apart from page scans and direct opens", async () => {
    // Above: three same-device scans (two redeemed as `same_device`, one as `clipboard`), one
    // page scan redeemed nowhere, one `app` scan redeemed `direct`. Fresh storage: only
    // this file's hops are counted. Its last test, so all of them have been sent.
    const key = await mintKey("secret", ["stats:read"]);
    const today = new Date().toISOString().slice(0, 10);
    const f = await eventually(async () => {
      const res = await call(`/v1/stats/funnel?from=${today}&to=${today}&group_by=via`, { key });
      expect(res.status).toBe(200);
      const body = (await res.json()) as FunnelResult;
      return body.totals.scanned >= 5 && body.totals.redeemed >= 4 && body;
    }, "the funnel's five scans and four redemptions");
    const by = Object.fromEntries(f.rows.map((r) => [r.group, r]));
    expect([by.same_device?.scanned, by.same_device?.redeemed]).toEqual([3, 2]);
    expect([by.page?.scanned, by.page?.redeemed]).toEqual([1, 0]);
    expect([by.app?.scanned, by.direct?.redeemed, by.clipboard?.redeemed]).toEqual([1, 1, 1]);
    expect(by.other).toBeUndefined();
    // The tap's landing is a landing like any other: in the totals (recorded without a via).
    expect(f.totals.landing).toBe(3);
  });
});
