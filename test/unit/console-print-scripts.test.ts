// The console's notice before printing (src/client/console/print-scripts.js): names in scripts
// the print fonts lack print with empty boxes; emoji sequences print as their parts; Thai,
// Cyrillic, Latin Extended, single emoji, Armenian, Georgian, Ethiopic, Devanagari, the other
// Indic scripts, Sinhala, Khmer, Lao, Myanmar, Tibetan, Thaana, Syriac and N'Ko now print and
// get no notice.
import { describe, expect, it } from "vitest";
import {
  PRINTED_SCRIPTS,
  printedScriptNames,
  printIssue,
  unprintableLetter,
} from "../../src/client/console/print-scripts.js";
import { words } from "../../src/client/console/words.js";

describe("the console's print notice for a store name", () => {
  it("warns for the scripts the print fonts lack", () => {
    // Mongolian, Tai Tham, Javanese, Balinese, Samaritan, Mandaic, Syriac Supplement: no face.
    for (const name of [
      "ร้าน ᠮᠣᠩ",
      "ᠮᠣᠩᠭᠣᠯ",
      "ᨴᩤ᩠ᨿ",
      "ꦗꦮ",
      "ᬩᬮᬶ",
      "ࠀࠁࠂ",
      "ࡀࡁࡂ",
      "ܫܠܡܐ ࡠ", // Syriac prints, Suriyani Malayalam (Syriac Supplement) does not
      "श्री ᠮᠣᠩ", // Devanagari prints, the Mongolian word does not
      "ຮ້ານ ᨴᩤ", // Lao prints, Tai Tham does not
    ])
      expect(printIssue(name), name).toBe("unprintable");
  });

  it("no longer warns for Thai, single emoji, Latin Extended or Cyrillic", () => {
    for (const name of ["ร้านกาแฟ", "Café ☕", "🍜 Ramen 😀", "Şişli", "Київ", "❤️ Love", "✂ Barber"])
      expect(printIssue(name), name).toBeNull();
    expect(printIssue("")).toBeNull();
    expect(printIssue(undefined)).toBeNull();
  });

  it("no longer warns for Armenian, Georgian (Mkhedruli and Mtavruli) or Ethiopic", () => {
    for (const name of [
      "Երևան Սրճարան",
      "ԵՐԵՎԱՆ ﬓ", // capitals and the men-now ligature code point
      "თბილისი კაფე",
      "ᲗᲑᲘᲚᲘᲡᲘ", // Mtavruli (all capitals)
      "ⴇⴁⴈⴊⴈⴑⴈ", // Nuskhuri
      "አዲስ ቡና ቤት።",
      "ጠጅ ቤት ፩", // an Ethiopic digit
      "ⶀⶁ ꬁꬂ 𞟠", // Ethiopic Extended, Extended-A, Extended-B
    ])
      expect(printIssue(name), name).toBeNull();
  });

  it("no longer warns for Devanagari (Hindi, Marathi, Nepali), which HarfBuzz shapes", () => {
    for (const name of [
      "चाय की दुकान",
      "हिन्दी किराना",
      "श्री गणेश स्वीट्स",
      "श्री Ganesh 24",
      "पुणे मिसळ घर", // Marathi
      "काठमाडौं चिया पसल", // Nepali
      "क्षत्रिय भोजनालय।", // a danda
      "दुकान १२", // Devanagari digits
    ])
      expect(printIssue(name), name).toBeNull();
  });

  it("no longer warns for Bengali, the other Indic scripts, Sinhala, Khmer, Lao or Myanmar", () => {
    for (const name of [
      "মিষ্টি দোকান",
      "চা ১২", // Bengali digits
      "ਪੰਜਾਬੀ ਢਾਬਾ",
      "ગુજરાતી દુકાન",
      "ଓଡ଼ିଆ ଦୋକାନ",
      "தமிழ் கடை",
      "తెలుగు దుకాణం",
      "ಕನ್ನಡ ಅಂಗಡಿ",
      "മലയാളം കട",
      "ශ්‍රී ලංකා කඩය",
      "ហាងកាហ្វេ",
      "ຮ້ານກາເຟ",
      "ကော်ဖီဆိုင်",
      "श्री গণেশ Café 24", // Devanagari, Bengali and Latin in one name
    ])
      expect(printIssue(name), name).toBeNull();
  });

  it("no longer warns for Tibetan, Thaana, Syriac or N'Ko, which HarfBuzz shapes", () => {
    for (const name of [
      "ལྷ་ས",
      "སྒྲོལ་མ་ཚོང་ཁང་",
      "ދިވެހި ފިހާރަ",
      "Malé ދިވެހި 24",
      "ܫܠܡܐ",
      "ܒܝܬ ܠܚܡܐ",
      "ߒߞߏ",
      "ߞߊ߲ߞߊ߲ ߝߊ߲ߓߊ ߁߂", // N'Ko digits
      "চা ދިވެހި ལྷ་ས", // Bengali, Thaana and Tibetan in one name
    ])
      expect(printIssue(name), name).toBeNull();
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

  it("names the first letter that prints as a box, whatever its script", () => {
    const cases: [string, string][] = [
      ["Café ᱚᱞ", "ᱚ"], // Ol Chiki
      ["Երևան ᠮᠣᠩ", "ᠮ"], // Armenian prints, Mongolian does not
      ["ᏣᎳᎩ", "Ꮳ"], // Cherokee
      ["\u{1d401}\u{1d41a}\u{1d42b} Bar", "\u{1d401}"], // 𝐁𝐚𝐫, a mathematical letter
      ["Kyiv ᴄᴀꜰᴇ", "ᴄ"], // a phonetic small capital
      ["চা ꦗꦮ", "ꦗ"], // Bengali prints, Javanese does not
      ["ร้าน ຮ້ານ ᠮᠣᠩ", "ᠮ"], // Thai and Lao print, Mongolian does not
      ["a\u0816", "\u25cc\u0816"], // a lone Samaritan mark, on a dotted circle
      ["Cafe\ua9b3", "\u25cc\ua9b3"], // a lone Javanese mark: no face has it
      ["Cafe\u1dc4", "\u25cc\u1dc4"], // an accent of the Supplement block: no face has it
    ];
    for (const [name, letter] of cases) {
      expect(unprintableLetter(name), name).toBe(letter);
      expect(printIssue(name), name).toBe("unprintable");
    }
    for (const name of [
      "Café ☕",
      "ร้านกาแฟ",
      "Київ",
      "東京 カフェ",
      "Երևան",
      "चाय",
      "চা",
      "ລາວ",
      "ދިވެހި",
      "ལྷ་ས",
      "Cafe\u0730", // a lone Syriac mark prints from the Syriac face
      "Bar\u07a6", // a Thaana one from the Thaana face
      "ܫ\u0656ܠ", // an Arabic mark the Syriac face lacks is not drawn, as in an Arabic name
      "",
      undefined,
    ])
      expect(unprintableLetter(name), String(name)).toBeNull();
  });

  it("shows that letter in the notice in every language, and names no list of scripts", () => {
    for (const [lang, catalog] of Object.entries(words)) {
      const text = catalog["print.unprintable"]!;
      expect(text, lang).toContain("{letter}");
      expect(text, lang).toContain("{name}");
    }
    // The notice used to say the fonts lack "Indic, Lao, Syriac or Thaana" letters, while it
    // warns for any script they lack (Armenian above): it names the letter instead.
    expect(words.en["print.unprintable"]).not.toMatch(/Indic|Lao|Syriac|Thaana/);
  });

  it("advises the scripts that print from the one list, named in each language, none by hand", () => {
    for (const [lang, catalog] of Object.entries(words)) {
      const text = catalog["print.unprintable"]!;
      expect(text, lang).toContain("{scripts}");
      // No script named by hand: a list typed into 17 languages went stale when the fonts grew
      // (it stopped at Ethiopic while 13 more scripts printed).
      const names = new Intl.DisplayNames([lang], { type: "script" });
      for (const code of ["Armn", "Geor", "Ethi", "Thai", "Hebr"])
        expect(text, `${lang} names ${code} by hand`).not.toContain(names.of(code));
      const listed = printedScriptNames(lang);
      for (const code of PRINTED_SCRIPTS)
        expect(listed, `${lang} ${code}`).toContain(names.of(code));
    }
    expect(printedScriptNames("en")).toMatch(
      /Devanagari.*Myanmar.*Tibetan, Thaana, Syriac, or N’Ko$/,
    );
  });
});
