/** The words of the scan pages in Hebrew (right to left; plural imperatives, which address anyone). */
import type { Words } from "./en";

// `{app}` follows a separate word ("אל", "עם", "את"), never the prefix "ב־", which would glue
// itself to the fallback name's article.
export const HE: Words = {
  "doc.lang": "he",
  "doc.dir": "rtl",
  "title.handoff": "המשך באפליקציה",
  "title.poster": "פתיחה באפליקציה",
  "title.login": "התחברות במחשב",
  "app.fallbackName": "האפליקציה",
  "lead.handoff": "המשיכו בטלפון מהמקום שבו עצרתם במחשב.",
  "lead.poster": "הקישו למטה כדי לעבור אל {app}.",
  "lead.login":
    "פתחו את הקוד הזה עם {app}: לפני האישור יוצג לכם איזה מחשב מבקש. פתיחה כאן לא משנה דבר.",
  "poster.from": "מאת {store}",
  "open.button": "פתחו את {app}",
  "open.appLink": "לא קרה כלום? נסו את הקישור לאפליקציה",
  "store.appStore": "הורדה מ־App Store",
  "store.playStore": "קבלו ב־Google Play",
  "web.button": "המשך באתר",
  "deferred.title": "עדיין אין לכם את האפליקציה?",
  "deferred.body":
    "העתיקו את הקישור הזה ואז התקינו את האפליקציה. בפתיחה הראשונה היא תחזיר אתכם ישירות לכאן (ייתכן שתתבקשו להדביק את הקישור).",
  "copy.button": "העתקת הקישור",
  "copy.done": "הקישור הועתק",
  "copy.failed": "לא ניתן היה להעתיק. לחצו לחיצה ארוכה על הקישור שלמטה כדי להעתיק אותו.",
  "blocked.title": "פתחו את הדף הזה בדפדפן",
  "blocked.body.ios":
    "{browser} לא יכול לפתוח אפליקציות אחרות. הקישו על ··· בפינה הימנית העליונה ובחרו „פתיחה ב־Safari”.",
  "blocked.body.android":
    "{browser} לא יכול לפתוח אפליקציות אחרות. הקישו על ··· בפינה הימנית העליונה ובחרו „פתיחה בדפדפן”.",
  "blocked.inApp": "האפליקציה הזו",
  "blocked.copy": "או העתיקו את הקישור והדביקו אותו בשורת הכתובת של הדפדפן.",
  "desktop.title": "סרקו את הקוד בטלפון",
  "desktop.body": "כוונו את מצלמת הטלפון אל הקוד כדי לעבור אל {app}.",
  "desktop.qrAlt": "קוד QR של הקישור הזה",
  "desktop.tablet": "בטאבלט? אפשר לפתוח את האפליקציה ממש כאן:",
  "expiry.in": "תוקף הקוד יפוג בעוד {time}.",
  "expiry.soon": "תוקף הקוד יפוג בעוד פחות מדקה.",
  "expiry.minutes": "{n} דק׳",
  "expiry.expired": "תוקף הקוד פג. רעננו את הדף במחשב כדי לקבל קוד חדש.",
  "entry.title": "הזנת הקוד",
  "entry.lead": "הקלידו את הקוד המודפס מתחת לקוד ה־QR. אפשר עם מקפים ובאותיות קטנות.",
  "entry.label": "קוד",
  "entry.button": "המשך",
  "entry.invalid": "הקוד הזה שגוי. בדקו כל תו ונסו שוב.",
  "msg.notFound.title": "הקישור לא נמצא",
  "msg.notFound.body": "הקישור הזה לא קיים או שחלק ממנו חסר. ודאו שהקוד נסרק במלואו ונסו שוב.",
  "msg.expired.title": "תוקף הקוד פג",
  "msg.expired.body.handoff":
    "קודים שמוצגים במחשב תקפים לכמה דקות בלבד. רעננו את הדף במחשב וסרקו את הקוד החדש.",
  "msg.expired.body": "הקישור הזה כבר לא בתוקף. בקשו קישור חדש ממי ששיתף אותו.",
  "msg.poster.title": "הפוסטר הזה כבר לא פעיל",
  "msg.poster.bodyStore": "הפוסטר הזה ב־{store} כבר לא פעיל. בקשו מהצוות פוסטר עדכני.",
  "msg.poster.body": "הפוסטר הזה כבר לא פעיל. חפשו פוסטר עדכני בסביבה.",
  "msg.invalid.title": "הקישור הזה לא תקין",
  "msg.invalid.body": "ייתכן שהקוד פגום או שנסרק רק בחלקו. סרקו אותו שוב והחזיקו את הטלפון יציב.",
  "msg.slowDown.title": "יותר מדי ניסיונות",
  "msg.slowDown.body": "היו יותר מדי ניסיונות מהרשת שלכם ממש עכשיו. המתינו דקה ונסו שוב.",
};
