// The Play install referrer (core/install-referrer.ts), how a resolve says the app was reached
// (core/app-via.ts) and the Google Play link that carries the referrer (pages/deep-links.ts).
import { describe, expect, it } from "vitest";
import { statedVia } from "../../src/core/app-via";
import { installReferrer, referrerParts } from "../../src/core/install-referrer";
import { playStoreLink } from "../../src/pages/deep-links";

const TOKEN = "8QK3T0M1ZC7X9R2B4N6D1JN7W80D1ABCDEFGHJKMNP"; // 42 characters, as a token

describe("install referrer", () => {
  it("carries the link's token after a letter naming its kind, and gives them back", () => {
    expect(installReferrer("handoff", TOKEN)).toBe(`qb_ref=H${TOKEN}`);
    expect(installReferrer("session", TOKEN)).toBe(`qb_ref=S${TOKEN}`);
    for (const kind of ["handoff", "session"] as const)
      expect(referrerParts(installReferrer(kind, TOKEN))).toEqual({ kind, token: TOKEN });
  });

  it("reads the string as Play returns it: among other parameters, in any case", () => {
    for (const form of [
      `utm_source=poster&qb_ref=H${TOKEN}&utm_medium=qr`,
      `qb_ref=h${TOKEN.toLowerCase()}`,
      ` qb_ref=H${TOKEN} `,
    ])
      expect(referrerParts(form), form).toEqual({ kind: "handoff", token: TOKEN });
  });

  it("names nothing when it holds none of our links", () => {
    for (const text of [
      "utm_source=google-play&utm_medium=organic",
      "qb_ref=",
      `qb_ref=X${TOKEN}`, // not a kind
      "qb_ref=Htooshort",
      `qb_ref=H${"U".repeat(42)}`, // not Crockford base32
      TOKEN,
    ])
      expect(referrerParts(text), text).toBeNull();
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
