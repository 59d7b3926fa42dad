// Which words a handoff's landing page takes from its metadata: only a secret key's. A
// publishable key is public, so text it sets would be anyone's words on the shop's own domain.
import { describe, expect, it } from "vitest";
import { classifyDevice } from "../../src/core/device";
import type { HandoffCreator } from "../../src/core/handoff-parties";
import { handoffScan, landingText } from "../../src/core/handoff-scan";

const LOCKED = { title: "Your account is locked: call +1 555 0100", subtitle: "Act now" };

describe("landingText", () => {
  it("takes the title and subtitle of a handoff a secret key made", () => {
    expect(landingText(LOCKED, "server")).toEqual(LOCKED);
    expect(landingText({ title: "Your cart" }, "server")).toEqual({
      title: "Your cart",
      subtitle: null,
    });
    expect(landingText({ order: "42" }, "server")).toEqual({ title: null, subtitle: null });
    expect(landingText(null, "server")).toEqual({ title: null, subtitle: null });
  });

  it("takes nothing from a publishable key's handoff, nor from one that does not say who made it", () => {
    expect(landingText(LOCKED, "page")).toEqual({ title: null, subtitle: null });
    expect(landingText(LOCKED, null)).toEqual({ title: null, subtitle: null });
  });
});

const LINK = "HTTPS://QR.TEST/H/8QK3T0M1ZC7X9R2B4N6D";
const IPHONE = classifyDevice(
  new Headers({
    "user-agent":
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  }),
);

function personScan(createdBy: HandoffCreator | null) {
  return handoffScan({
    check: { ok: true, id: "H1", expiresAt: 2_000_000_000, kid: "k1" },
    device: IPHONE,
    human: true,
    link: LINK,
    token: "8QK3T0M1ZC7X9R2B4N6D",
    answer: {
      ok: true,
      changed: false,
      path: "/cart/1",
      metadata: LOCKED,
      created_by: createdBy,
      created_at: 1,
      expires_at: 2_000_000_000_000,
      hops: [],
    },
  });
}

describe("handoffScan's landing heading", () => {
  it("is the metadata's for a secret key's handoff", () => {
    const o = personScan("server");
    expect(o.page === "landing" && o.landing).toMatchObject(LOCKED);
  });

  it("is the page's default for a publishable key's handoff, and its path still opens", () => {
    for (const by of ["page", null] as const) {
      const o = personScan(by);
      if (o.page !== "landing") throw new Error("expected the landing page");
      expect(o.landing.title ?? null, String(by)).toBeNull();
      expect(o.landing.subtitle ?? null, String(by)).toBeNull();
      expect(o.landing.appPath).toBe("/cart/1");
    }
  });
});
