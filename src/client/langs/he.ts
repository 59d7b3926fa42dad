import type { Catalog } from "./en";

/**
 * Hebrew (plural imperative, as the printed cards have it). Right to left: the element
 * isolates every inserted value (embed-view.ts). Not checked by a native speaker.
 */
export const he: Catalog = {
  alt: "קוד QR: סרקו בטלפון כדי להמשיך באפליקציה",
  loading: "יוצרים את הקוד…",
  pending: "סרקו עם מצלמת הטלפון כדי להמשיך באפליקציה",
  scanned: "נסרק במכשיר {device}. המשיכו בטלפון.",
  scannedAny: "נסרק. המשיכו בטלפון.",
  redeemed: "בוצע: נפתח באפליקציה.",
  expired: "תוקף הקוד פג.",
  cancelled: "הקוד בוטל.",
  denied: "הבקשה נדחתה בטלפון.",
  error: "לא ניתן ליצור קוד ({code}).",
  paused: "הקוד מושהה כל עוד הכרטיסייה ברקע.",
  awaiting_confirmation: "האם {device} רשאי להמשיך באפליקציה?",
  approved: "אושר: המשיכו בטלפון.",
  approve: "לאפשר",
  deny: "לדחות",
  thisPhone: "הטלפון הזה",
  refresh: "הצגת קוד חדש",
  expiresIn: "פג תוקף בעוד {t}",
  image: "לא ניתן להציג את הקוד.",
  onPhone: "גולשים בטלפון הזה? פתחו את האפליקציה:",
  open: "פתיחה באפליקציה",
  "l.alt": "קוד QR: סרקו עם האפליקציה בטלפון כדי להתחבר",
  "l.pending": "סרקו עם האפליקציה בטלפון כדי להתחבר",
  "l.scanned": "נסרק במכשיר {device}. אשרו בטלפון.",
  "l.scannedAny": "אשרו בטלפון.",
  "l.approved": "אושר. מתחברים…",
  "l.denied": "ההתחברות נדחתה בטלפון.",
  warn: "טלפון אחר ניסה גם הוא לסרוק את הקוד הזה. אם זה לא הייתם אתם, אל תאשרו: בקשו קוד חדש.",
};
