import type { Catalog } from "./en";

/**
 * Arabic (Modern Standard, singular imperative, as the printed cards have it). Right to left:
 * the element isolates every inserted value (embed-view.ts). Not checked by a native speaker.
 */
export const ar: Catalog = {
  alt: "رمز QR: امسحه بهاتفك للمتابعة في التطبيق",
  loading: "جارٍ إنشاء الرمز…",
  pending: "امسح الرمز بكاميرا هاتفك للمتابعة في التطبيق",
  scanned: "تم المسح على {device}. تابع على هاتفك.",
  scannedAny: "تم المسح. تابع على هاتفك.",
  redeemed: "تم: فُتح في التطبيق.",
  expired: "انتهت صلاحية هذا الرمز.",
  cancelled: "أُلغي هذا الرمز.",
  denied: "رُفض الطلب على الهاتف.",
  error: "تعذّر إنشاء رمز ({code}).",
  paused: "الرمز متوقف مؤقتًا ما دامت علامة التبويب هذه في الخلفية.",
  awaiting_confirmation: "هل تسمح بالمتابعة في التطبيق على {device}؟",
  approved: "تم السماح: تابع على هاتفك.",
  approve: "السماح",
  deny: "الرفض",
  thisPhone: "هذا الهاتف",
  refresh: "عرض رمز جديد",
  expiresIn: "تنتهي الصلاحية خلال {t}",
  image: "تعذّر عرض الرمز.",
  onPhone: "تتصفح من هذا الهاتف؟ افتح التطبيق:",
  open: "فتح في التطبيق",
  "l.alt": "رمز QR: امسحه بالتطبيق على هاتفك لتسجيل الدخول",
  "l.pending": "امسح الرمز بالتطبيق على هاتفك لتسجيل الدخول",
  "l.scanned": "تم المسح على {device}. أكّد على هاتفك.",
  "l.scannedAny": "أكّد على هاتفك.",
  "l.approved": "تمت الموافقة. جارٍ تسجيل الدخول…",
  "l.denied": "رُفض تسجيل الدخول على الهاتف.",
  warn: "حاول هاتف آخر أيضًا مسح هذا الرمز. إن لم يكن ذلك أنت، فلا توافق: اطلب رمزًا جديدًا.",
};
