/**
 * The printed cards' own words per language: the default call to action and the manual-entry
 * line (`{host}` is replaced by the deployment's host and `/c`). The translations other than
 * English and Chinese are ours and were not checked by a native speaker (docs/posters.md).
 */
import type { PrintLang } from "./print-constants";

/** A card's words in one language. */
export interface CardWords {
  /** The call to action under the QR (a poster's `cta` replaces it). */
  cta: string;
  /** The line under the code: where to type it without a camera. */
  manual: string;
}

/**
 * Every printed language's words. One word per idea within a language ("code", "scan",
 * "camera"), in the register a shop uses with its customers. A call to action must fit the
 * narrowest card (60 mm) at its smallest size: about 24 em (Japanese, the longest, is 17).
 */
export const CARD_WORDS: Record<PrintLang, CardWords> = {
  en: { cta: "Scan with your phone camera", manual: "No camera? Enter the code at {host}" },
  zh: { cta: "用手机相机扫码", manual: "无法扫码？请在 {host} 输入代码" },
  "zh-Hant": { cta: "用手機相機掃碼", manual: "無法掃碼？請在 {host} 輸入代碼" },
  ja: {
    cta: "スマホのカメラで読み取ってください",
    manual: "読み取れない場合は {host} でコードを入力",
  },
  ko: { cta: "휴대폰 카메라로 스캔하세요", manual: "스캔이 안 되면 {host} 에서 코드를 입력하세요" },
  // Neutral Spanish (Latin America and Spain): "teléfono", not "celular" or "móvil".
  es: {
    cta: "Escanea con la cámara de tu teléfono",
    manual: "¿No tienes cámara? Escribe el código en {host}",
  },
  // French puts a no-break space before "?" so the mark never starts a line of its own.
  fr: {
    cta: "Scannez avec votre téléphone",
    manual: "Pas d’appareil photo\u00a0? Saisissez le code sur {host}",
  },
  de: {
    cta: "Scannen Sie mit Ihrer Handykamera",
    manual: "Keine Kamera? Geben Sie den Code unter {host} ein",
  },
  // Brazilian Portuguese.
  pt: {
    cta: "Escaneie com a câmera do seu celular",
    manual: "Sem câmera? Digite o código em {host}",
  },
  it: {
    cta: "Scansiona con la fotocamera del telefono",
    manual: "Niente fotocamera? Inserisci il codice su {host}",
  },
  id: {
    cta: "Pindai dengan kamera ponsel Anda",
    manual: "Tidak ada kamera? Masukkan kode di {host}",
  },
  vi: {
    cta: "Quét bằng camera điện thoại của bạn",
    manual: "Không có camera? Nhập mã tại {host}",
  },
  th: { cta: "สแกนด้วยกล้องโทรศัพท์ของคุณ", manual: "ไม่มีกล้อง? กรอกรหัสที่ {host}" },
  tr: {
    cta: "Telefonunuzun kamerasıyla tarayın",
    manual: "Kamera yok mu? Kodu {host} adresine girin",
  },
  ru: { cta: "Отсканируйте камерой телефона", manual: "Нет камеры? Введите код на {host}" },
  // The host sits between two LRMs: a host that starts with digits (an IP, a port) would
  // otherwise have its digits and its "/c" swapped in a right-to-left line; the marks make it
  // one left-to-right run and draw nothing.
  he: { cta: "סרקו עם מצלמת הטלפון", manual: "אין מצלמה? הזינו את הקוד בכתובת \u200e{host}\u200e" },
  ar: {
    cta: "امسح الرمز بكاميرا هاتفك",
    manual: "لا توجد كاميرا؟ أدخل الرمز في \u200e{host}\u200e",
  },
};
