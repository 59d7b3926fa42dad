// The Play install referrer (core/install-referrer.ts), how a resolve says the app was reached
// (core/app-via.ts) and the Google Play link that carries the referrer (pages/deep-links.ts).
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/config";
import { statedVia } from "../../src/core/app-via";
import { sessionOfId } from "../../src/core/attribution";
import {
  offersPlayStore,
  readInstallReferrer,
  referrerExpiry,
  signInstallReferrer,
} from "../../src/core/install-referrer";
import { newSessionId } from "../../src/core/session-id";
import { parseKeyring, signToken, verifyToken } from "../../src/core/token";
import { playStoreLink } from "../../src/pages/deep-links";

const NOW = 1_800_000_000;
const ring = await parseKeyring("K1:unit-test-key-number-one,K2:unit-test-key-number-two");
const other = await parseKeyring("K2:a-completely-different-key");
const ID = "8QK3T0M1ZC7X9R2B4N6D";

describe("install referrer", () => {
  it("round-trips a handoff and a session referrer, with their kind and expiry", async () => {
    for (const kind of ["handoff", "session"] as const) {
      const text = await signInstallReferrer(ring, { kind, id: ID }, NOW + 900);
      expect(text).toMatch(new RegExp(`^qb_ref=${kind === "handoff" ? "H" : "S"}[0-9A-Z]{42}$`));
      expect(await readInstallReferrer(ring, text, NOW)).toEqual({
        ok: true,
        kind,
        id: ID,
        expiresAt: NOW + 900,
      });
    }
  });

  it("reads the string as Play returns it: among other parameters, in any case", async () => {
    const text = await signInstallReferrer(ring, { kind: "handoff", id: ID }, NOW + 900);
    for (const form of [
      `utm_source=poster&${text}&utm_medium=qr`,
      text.toLowerCase().replace("qb_ref=h", "qb_ref=H"),
      ` ${text} `,
    ]) {
      expect(await readInstallReferrer(ring, form, NOW), form).toMatchObject({ ok: true, id: ID });
    }
  });

  it("says expired only of an authentic referrer, and never lets one kind pass for another", async () => {
    const text = await signInstallReferrer(ring, { kind: "session", id: ID }, NOW);
    expect(await readInstallReferrer(ring, text, NOW)).toMatchObject({
      ok: false,
      reason: "expired",
      kind: "session",
      id: ID,
    });
    const swapped = `qb_ref=H${text.slice(8)}`;
    expect(await readInstallReferrer(ring, swapped, NOW - 1)).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    // A handoff token is no referrer, and a referrer is no handoff token.
    const handoff = (await signToken(ring, "h", { id: ID, expiresAt: NOW + 60 })).token;
    expect((await readInstallReferrer(ring, `qb_ref=H${handoff}`, NOW)).ok).toBe(false);
    const ref = await signInstallReferrer(ring, { kind: "handoff", id: ID }, NOW + 60);
    expect((await verifyToken(ring, "h", ref.slice(8), NOW)).ok).toBe(false);
    // Another deployment's keys sign nothing here.
    const foreign = await signInstallReferrer(other, { kind: "handoff", id: ID }, NOW + 60);
    expect((await readInstallReferrer(ring, foreign, NOW)).ok).toBe(false);
  });

  it("refuses what is not ours, with the reason", async () => {
    const cases: [string, string][] = [
      ["utm_source=google-play&utm_medium=organic", "missing"],
      ["qb_ref=", "missing"],
      ["qb_ref=X8QK3T0M1ZC7X9R2B4N6D", "malformed"],
      ["qb_ref=Htooshort", "malformed"],
      [`qb_ref=H${"U".repeat(42)}`, "malformed"],
    ];
    for (const [text, reason] of cases)
      expect(await readInstallReferrer(ring, text, NOW), text).toMatchObject({ ok: false, reason });
  });

  it("a handoff's lasts the redeem window, a poster visit's a day but never past its session", () => {
    expect(referrerExpiry("handoff", NOW, { redeemWindow: 900 })).toBe(NOW + 900);
    expect(referrerExpiry("session", NOW, { redeemWindow: 900 })).toBe(
      NOW + LIMITS.installReferrerSeconds,
    );
    expect(referrerExpiry("session", NOW, { redeemWindow: 900, sessionExpiresAt: NOW + 60 })).toBe(
      NOW + 60,
    );
  });

  it("gives back the very session a landing page signed", async () => {
    const device = { platform: "android", in_app: null, bot: false, via: "page" } as const;
    const id = newSessionId("7K2M9Q", device, NOW * 1000 + 300);
    const expiresAt = NOW + 7 * 86_400;
    const original = (await signToken(ring, "s", { id, expiresAt })).token;
    const session = await sessionOfId(ring, id);
    expect(session).toMatchObject({ token: original, id, posterId: "7K2M9Q", expiresAt, device });
    expect(session.scannedAt).toBe(NOW * 1000 + 300);
  });

  it("is offered where a Google Play link is shown", () => {
    const phone = { platform: "android", blocksAppLinks: false };
    expect(offersPlayStore({ androidPackage: "com.acme" }, phone)).toBe(true);
    expect(offersPlayStore({ playStoreUrl: "https://play.google.com/x" }, phone)).toBe(true);
    expect(offersPlayStore({}, phone)).toBe(false);
    for (const platform of ["ios", "desktop"])
      expect(offersPlayStore({ androidPackage: "com.acme" }, { ...phone, platform })).toBe(false);
    expect(offersPlayStore({ androidPackage: "com.acme" }, { ...phone, platform: "other" })).toBe(
      true,
    );
    expect(
      offersPlayStore({ androidPackage: "com.acme" }, { ...phone, blocksAppLinks: true }),
    ).toBe(false);
  });
});

describe("the Google Play link", () => {
  const PLAY = "https://play.google.com/store/apps/details?id=com.acme";
  it("carries the referrer URL-encoded, after a referrer it already had", () => {
    expect(playStoreLink(PLAY, null, "qb_ref=HABC")).toBe(`${PLAY}&referrer=qb_ref%3DHABC`);
    const tagged = `${PLAY}&referrer=utm_source%3Dposter`;
    const url = new URL(playStoreLink(tagged, null, "qb_ref=HABC")!);
    expect(url.searchParams.get("referrer")).toBe("utm_source=poster&qb_ref=HABC");
  });

  it("is built from the package when none is configured, and left alone off Google Play", () => {
    expect(playStoreLink(null, "com.acme", "qb_ref=SXYZ")).toBe(`${PLAY}&referrer=qb_ref%3DSXYZ`);
    expect(playStoreLink(null, "not a package", "qb_ref=SXYZ")).toBeNull();
    const redirect = "https://acme.onelink.me/abc";
    expect(playStoreLink(redirect, "com.acme", "qb_ref=SXYZ")).toBe(redirect);
    expect(playStoreLink(PLAY, "com.acme", null)).toBe(PLAY);
    expect(playStoreLink("javascript:alert(1)", null, "qb_ref=SXYZ")).toBeNull();
  });
});

describe("how a resolve says the app was reached", () => {
  const LINK = "HTTPS://QR.TEST/P/7K2M9QX4AB?s=S1";
  it("what the app states wins, then the link's marker, then a custom scheme", () => {
    expect(statedVia("app_clip", `${LINK}&qb_via=clipboard`)).toBe("app_clip");
    expect(statedVia(undefined, `${LINK}&qb_via=clipboard`)).toBe("clipboard");
    expect(statedVia(undefined, `${LINK}&qb_via=smart_banner`)).toBe("smart_banner");
    expect(statedVia(undefined, `acme:///menu?qb_link=${encodeURIComponent(LINK)}`)).toBe("scheme");
  });

  it("says nothing for a plain link or a marker it does not know", () => {
    expect(statedVia(undefined, LINK)).toBeNull();
    expect(statedVia(undefined, `${LINK}&qb_via=install_referrer`)).toBeNull();
    expect(statedVia(undefined, "not a url")).toBeNull();
  });
});
