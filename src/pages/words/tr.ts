/** The words of the scan pages in Turkish. */
import type { Words } from "./en";

// `{app}` is followed by "ile" (with), a separate word: a suffix would have to follow the
// vowels of each app's name.
export const TR: Words = {
  "doc.lang": "tr",
  "doc.dir": "ltr",
  "title.handoff": "Uygulamada devam edin",
  "title.poster": "Uygulamada açın",
  "title.login": "Bilgisayarınızda oturum açın",
  "app.fallbackName": "uygulama",
  "lead.handoff": "Bilgisayarınızda kaldığınız yerden telefonunuzda devam edin.",
  "lead.poster": "{app} ile devam etmek için aşağıya dokunun.",
  "lead.login":
    "Bu kodu {app} ile açın: onaylamadan önce hangi bilgisayarın istediğini gösterir. Burada açmak hiçbir şeyi değiştirmez.",
  "poster.from": "Gönderen: {store}",
  "open.button": "{app} ile açın",
  "open.appLink": "Hiçbir şey olmadı mı? Uygulama bağlantısını deneyin",
  "store.appStore": "App Store'dan indirin",
  "store.playStore": "Google Play'den alın",
  "web.button": "Web'de devam edin",
  "deferred.title": "Uygulamanız henüz yok mu?",
  "deferred.body":
    "Bu bağlantıyı kopyalayın, ardından uygulamayı yükleyin. Uygulamayı ilk açtığınızda sizi doğrudan buraya geri getirir (bağlantıyı yapıştırmanızı isteyebilir).",
  "copy.button": "Bağlantıyı kopyala",
  "copy.done": "Bağlantı kopyalandı",
  "copy.failed": "Kopyalanamadı. Kopyalamak için aşağıdaki bağlantıya basılı tutun.",
  "blocked.title": "Bu sayfayı tarayıcınızda açın",
  "blocked.body.ios":
    "{browser} başka uygulamaları açamaz. Sağ üstteki ··· simgesine dokunun, ardından “Safari'de Aç”ı seçin.",
  "blocked.body.android":
    "{browser} başka uygulamaları açamaz. Sağ üstteki ··· simgesine dokunun, ardından “Tarayıcıda aç”ı seçin.",
  "blocked.inApp": "Bu uygulama",
  "blocked.copy": "Ya da bağlantıyı kopyalayıp tarayıcınızın adres çubuğuna yapıştırın.",
  "desktop.title": "Bunu telefonunuzla tarayın",
  "desktop.body": "{app} ile devam etmek için telefonunuzun kamerasını koda doğrultun.",
  "desktop.qrAlt": "Bu bağlantının QR kodu",
  "desktop.tablet": "Tablette misiniz? Uygulamayı buradan açabilirsiniz:",
  "expiry.in": "Bu kodun süresi {time} içinde doluyor.",
  "expiry.soon": "Bu kodun süresi bir dakikadan kısa sürede doluyor.",
  "expiry.minutes": "{n} dk",
  "expiry.expired":
    "Bu kodun süresi doldu. Yeni bir kod almak için bilgisayarınızda sayfayı yenileyin.",
  "entry.title": "Kodu girin",
  "entry.lead": "QR kodun altında basılı olan kodu yazın. Tire ve küçük harf kullanabilirsiniz.",
  "entry.label": "Kod",
  "entry.button": "Devam",
  "entry.invalid": "Bu kod doğru değil. Her karakteri kontrol edip yeniden deneyin.",
  "msg.notFound.title": "Bağlantı bulunamadı",
  "msg.notFound.body":
    "Bu bağlantı yok ya da bir kısmı eksik. Kodun tamamının tarandığından emin olup yeniden deneyin.",
  "msg.expired.title": "Bu kodun süresi doldu",
  "msg.expired.body.handoff":
    "Bilgisayarda gösterilen kodlar yalnızca birkaç dakika geçerlidir. Bilgisayarınızda sayfayı yenileyin ve yeni kodu tarayın.",
  "msg.expired.body":
    "Bu bağlantı artık geçerli değil. Paylaşan kişiden yeni bir bağlantı isteyin.",
  "msg.poster.title": "Bu afiş artık etkin değil",
  "msg.poster.bodyStore":
    "{store} konumundaki bu afiş artık etkin değil. Güncel olanı için personele sorun.",
  "msg.poster.body": "Bu afiş artık etkin değil. Yakınlarda güncel bir afiş arayın.",
  "msg.invalid.title": "Bu bağlantı geçerli değil",
  "msg.invalid.body":
    "Kod hasar görmüş ya da yalnızca bir kısmı taranmış olabilir. Telefonunuzu sabit tutarak yeniden tarayın.",
  "msg.slowDown.title": "Çok fazla deneme",
  "msg.slowDown.body":
    "Az önce ağınızdan çok fazla deneme yapıldı. Bir dakika bekleyip yeniden deneyin.",
};
