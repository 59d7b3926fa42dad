// The console's notice before printing (src/client/console/print-scripts.js): names in scripts
// the print fonts lack print with empty boxes; emoji sequences print as their parts; Thai,
// Cyrillic, Latin Extended and single emoji now print and get no notice.
import { describe, expect, it } from "vitest";
import { printIssue } from "../../src/client/console/print-scripts.js";

describe("the console's print notice for a store name", () => {
  it("warns for the scripts the print fonts lack", () => {
    for (const name of ["चाय की दुकान", "ร้าน ຮ້ານ", "ܫܠܡܐ", "ދިވެހި", "চা", "கடை"])
      expect(printIssue(name), name).toBe("unprintable");
  });

  it("no longer warns for Thai, single emoji, Latin Extended or Cyrillic", () => {
    for (const name of ["ร้านกาแฟ", "Café ☕", "🍜 Ramen 😀", "Şişli", "Київ", "❤️ Love", "✂ Barber"])
      expect(printIssue(name), name).toBeNull();
    expect(printIssue("")).toBeNull();
    expect(printIssue(undefined)).toBeNull();
  });

  it("says emoji sequences print as their parts", () => {
    for (const name of [
      "Family 👨‍👩‍👧",
      "👍🏽 Good",
      "Tokyo 🇯🇵",
      "No. 1️⃣",
      "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Pub",
      "Pride 🏳️‍🌈",
      "Chef 👩🏽‍🍳",
    ])
      expect(printIssue(name), name).toBe("emoji-parts");
  });

  it("gives no emoji notice for a zero-width joiner between letters", () => {
    // Persian and Arabic names hold one to keep a letter's joined form; it draws nothing.
    for (const name of ["\u0647\u200d \u0628\u0627\u0632\u0627\u0631", "Cafe\u200dBar"])
      expect(printIssue(name), name).toBeNull();
  });
});
