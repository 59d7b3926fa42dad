// The console's store time-zone picker (src/client/console/zone-choices.js): the browser's list,
// which Chromium's ICU spells partly the old way, offered once per zone under the name the API
// stores and reads back (core/time-zone.ts), so a pick saved reads back as the option picked.
import { describe, expect, it } from "vitest";
import { zoneChoices } from "../../src/client/console/zone-choices.js";
import { timeZoneName } from "../../src/core/time-zone";
import { IANA_PRIMARY } from "../../src/core/zone-spellings";

describe("zoneChoices", () => {
  it("offers an old spelling under IANA's current name, once, beside the store's saved zone", () => {
    // What Chromium lists, and the zone a store saved with Asia/Calcutta reads back.
    const listed = ["Asia/Calcutta", "Asia/Tokyo", "Europe/Kiev", "Europe/Paris"];
    expect(zoneChoices(listed, "Asia/Kolkata")).toEqual([
      "UTC",
      "Asia/Kolkata",
      "Asia/Tokyo",
      "Europe/Kyiv",
      "Europe/Paris",
    ]);
  });

  it("lists each zone once when the browser names both spellings, in code-point order", () => {
    const listed = ["Europe/Kyiv", "Europe/Kiev", "America/Buenos_Aires", "America/Bogota"];
    expect(zoneChoices(listed)).toEqual([
      "UTC",
      "America/Argentina/Buenos_Aires",
      "America/Bogota",
      "Europe/Kyiv",
    ]);
  });

  it("keeps UTC first and once, whatever spellings of it the browser lists", () => {
    expect(zoneChoices(["Etc/UTC", "Asia/Tokyo", "GMT", "UTC"], "Etc/GMT")).toEqual([
      "UTC",
      "Asia/Tokyo",
    ]);
  });

  it("keeps a saved zone this browser does not list, and a saved old spelling under its new name", () => {
    expect(zoneChoices(["Asia/Tokyo"], "America/Nuuk")).toEqual([
      "UTC",
      "America/Nuuk",
      "Asia/Tokyo",
    ]);
    expect(zoneChoices(["Asia/Tokyo"], "Asia/Saigon")).toEqual([
      "UTC",
      "Asia/Ho_Chi_Minh",
      "Asia/Tokyo",
    ]);
  });

  it("offers every zone of this runtime under the very name the API stores for it", () => {
    // The runtime's own list (Node's ICU spells the same old names as Chromium's), plus every
    // old spelling the server renames: each offered name is one the API keeps as it is.
    const listed = [...Intl.supportedValuesOf("timeZone"), ...Object.keys(IANA_PRIMARY)];
    const offered = zoneChoices(listed);
    expect(offered.length).toBeGreaterThan(400);
    for (const zone of offered) expect(timeZoneName(zone), zone).toBe(zone);
    expect(new Set(offered).size).toBe(offered.length);
    for (const old of Object.keys(IANA_PRIMARY)) expect(offered).not.toContain(old);
  });
});
