/**
 * Common shop names per shaped script (the print tests' and check:print's): conjuncts, vowel
 * signs drawn before their consonant, subscript and stacked consonants, marks GPOS moves.
 */
export const SHOP_NAMES: Record<string, { family: string; words: string[] }> = {
  beng: { family: "Bengali", words: ["মিষ্টি দোকান", "শ্রী", "ক্ষুধা", "চা"] },
  guru: { family: "Gurmukhi", words: ["ਪੰਜਾਬੀ ਢਾਬਾ", "ਸ੍ਰੀ", "ਦੁਕਾਨ"] },
  gujr: { family: "Gujarati", words: ["ગુજરાતી દુકાન", "શ્રી", "ક્ષત્રિય"] },
  orya: { family: "Oriya", words: ["ଓଡ଼ିଆ ଦୋକାନ", "ଶ୍ରୀ", "କ୍ଷେତ୍ର"] },
  taml: { family: "Tamil", words: ["தமிழ் கடை", "ஸ்ரீ", "க்ஷேத்ரா", "கொட்டை"] },
  telu: { family: "Telugu", words: ["తెలుగు దుకాణం", "శ్రీ", "క్షేత్రం"] },
  knda: { family: "Kannada", words: ["ಕನ್ನಡ ಅಂಗಡಿ", "ಶ್ರೀ", "ಕ್ಷೇತ್ರ"] },
  mlym: { family: "Malayalam", words: ["മലയാളം കട", "ശ്രീ", "ക്ഷേത്രം"] },
  sinh: { family: "Sinhala", words: ["ශ්‍රී ලංකා කඩය", "කෝපි", "ක්‍ෂේත්‍ර"] },
  khmr: { family: "Khmer", words: ["ហាងកាហ្វេ", "ភ្នំពេញ", "ស្រស់"] },
  laoo: { family: "Lao", words: ["ຮ້ານກາເຟ", "ລາວ", "ວຽງຈັນ"] },
  mymr: { family: "Myanmar", words: ["ကော်ဖီဆိုင်", "ရန်ကုန်", "မန္တလေး"] },
};

/** Long names with no spaces between words (Khmer, Myanmar): a card cuts them between syllables. */
export const LONG_NAMES: Record<string, string> = {
  khmr: "ហាងកាហ្វេភ្នំពេញស្រស់ស្អាតណាស់សម្រាប់អ្នកទាំងអស់គ្នា",
  mymr: "ကော်ဖီဆိုင်ရန်ကုန်မြို့မန္တလေးတက္ကသိုလ်ကျောင်းသားများအတွက်",
};
