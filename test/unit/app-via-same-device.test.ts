// The widget's same-device marker (`qb_via=same_device`, core/app-via.ts): how a link's marker
// is read (last known value wins, unknown values ignored), the `via` a scan and a redemption
// record from it, and that the rollups count it under its own name, not `other`.
import { describe, expect, it } from "vitest";
import { appScanVia, linkMarker, scanMarker, statedVia } from "../../src/core/app-via";
import { classifyDevice } from "../../src/core/device";
import { handoffScan } from "../../src/core/handoff-scan";
import { redemptionHops } from "../../src/core/redemption-hops";
import { countKeysOf } from "../../src/core/rollup";

const LINK = "HTTPS://QR.TEST/H/8QK3T0M1ZC7X9R2B4N6D";
const q = (s: string) => new URLSearchParams(s);

describe("linkMarker", () => {
  it("reads the widget's marker and the landing page's", () => {
    expect(linkMarker(q("qb_via=same_device"))).toBe("same_device");
    expect(linkMarker(q("qb_via=clipboard"))).toBe("clipboard");
    expect(linkMarker(q("a=1"))).toBeNull();
  });

  it("takes the last known value: the page's own marker after the widget's", () => {
    expect(linkMarker(q("qb_via=same_device&qb_via=smart_banner"))).toBe("smart_banner");
    expect(linkMarker(q("qb_via=same_device&qb_via=bogus"))).toBe("same_device");
  });

  it("ignores what is not a marker: ways only the bridge decides, case, markup", () => {
    for (const v of ["install_referrer", "page", "direct", "app", "SAME_DEVICE", "same_device "])
      expect(linkMarker(q(`qb_via=${encodeURIComponent(v)}`)), v).toBeNull();
    expect(linkMarker(q(`qb_via=${encodeURIComponent('"><script>')}`))).toBeNull();
  });
});

describe("scanMarker and appScanVia", () => {
  it("mark a scan only for the same-device tap", () => {
    expect(scanMarker(q("qb_via=same_device"))).toBe("same_device");
    expect(scanMarker(q("qb_via=clipboard"))).toBeNull();
    expect(scanMarker(q(""))).toBeNull();
    expect(appScanVia("same_device")).toBe("same_device");
    expect(appScanVia("clipboard")).toBe("app");
    expect(appScanVia(null)).toBe("app");
  });
});

describe("statedVia", () => {
  it("reads the marker on an https link, and never on a custom-scheme URL", () => {
    expect(statedVia(undefined, `${LINK}?qb_via=same_device`)).toBe("same_device");
    expect(statedVia("app_clip", `${LINK}?qb_via=same_device`)).toBe("app_clip");
    const scheme = `acme:///x?qb_via=same_device&qb_link=${encodeURIComponent(LINK)}`;
    expect(statedVia(undefined, scheme)).toBe("scheme");
  });
});

const IPHONE = classifyDevice(
  new Headers({
    "user-agent":
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  }),
);

/** The object's once-only hops of the scan (core/handoff-hops.ts), as it answers them. */
const OBJECT_HOPS = [
  { kind: "handoff" as const, subject_id: "H1", hop: "scanned" as const, event_id: "ev_1" },
  { kind: "handoff" as const, subject_id: "H1", hop: "landing" as const, event_id: "ev_2" },
];

function scanOf(marker: "same_device" | null, changed = true) {
  return handoffScan({
    check: { ok: true, id: "H1", expiresAt: 2_000_000_000, kid: "k1" },
    device: IPHONE,
    human: true,
    link: LINK,
    token: "8QK3T0M1ZC7X9R2B4N6D",
    answer: {
      ok: true,
      changed,
      path: "/cart/1",
      metadata: null,
      created_by: "server",
      created_at: 1,
      expires_at: 2_000_000_000_000,
      hops: changed ? OBJECT_HOPS : [],
    },
    marker,
  });
}

describe("handoffScan with the marker", () => {
  // The scan's `via` is kept by the object and built into its hops (test/unit/handoff-hops.test.ts).
  it("hands the marker on to the page's app links; the hops are the object's once-only rows", () => {
    const out = scanOf("same_device");
    if (out.page !== "landing") throw new Error(out.page);
    expect(out.hops).toEqual(OBJECT_HOPS);
    expect(out.landing.deepLinkParams).toEqual({ qb_link: LINK, qb_via: "same_device" });
    // The link itself (the signed token) is as it was.
    expect(out.landing.link).toBe(LINK);
  });

  it("without it, the page scan it always was; a later view records nothing", () => {
    const out = scanOf(null);
    if (out.page !== "landing") throw new Error(out.page);
    expect(out.landing.deepLinkParams).toEqual({ qb_link: LINK });
    expect(scanOf(null, false).hops).toEqual([]);
  });
});

describe("a redemption that recorded the tap's scan", () => {
  const facts = (redeemed_via: string | null) => ({
    id: "H1",
    scanned: true,
    scan: { device: null, via: "app" as const },
    created_at: 1,
    scanned_at: 2,
    redeemed_at: 2,
    redeemed_via,
    replay_hops: null,
  });
  const caller = { platform: "ios", in_app: null, browser: null, os: "ios", bot: false };

  it("says `same_device` on both hops", async () => {
    const hops = await redemptionHops(facts("same_device"), caller);
    expect(hops.map((h) => [h.hop, h.detail?.via])).toEqual([
      ["scanned", "same_device"],
      ["redeemed", "same_device"],
    ]);
  });

  it("and with a replay's once-only hops too", async () => {
    const once = { scanned: true, bot: false, country: null, colo: null, referrer_host: null };
    const hops = await redemptionHops({ ...facts("same_device"), replay_hops: once }, caller);
    expect(hops.map((h) => h.detail?.via)).toEqual(["same_device", "same_device"]);
  });
});

describe("the rollups", () => {
  it("count the tap under its own via, not `other`", () => {
    const row = { hop: "scanned" as const, bot: 0 as const, platform: "ios", in_app: null };
    const keys = countKeysOf({ ...row, detail: '{"via":"same_device"}' });
    expect(keys).toContain("scanned~same_device");
    expect(keys).not.toContain("scanned~other");
    expect(countKeysOf({ ...row, detail: '{"via":"tap"}' })).toContain("scanned~other");
  });
});
