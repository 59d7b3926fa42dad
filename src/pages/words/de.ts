/** The words of the scan pages in German (`Sie`). */
import type { Words } from "./en";

export const DE: Words = {
  "doc.lang": "de",
  "doc.dir": "ltr",
  "title.handoff": "In der App fortfahren",
  "title.poster": "In der App öffnen",
  "title.login": "Am Computer anmelden",
  "app.fallbackName": "der App",
  "lead.handoff":
    "Machen Sie auf Ihrem Smartphone dort weiter, wo Sie am Computer aufgehört haben.",
  "lead.poster": "Tippen Sie unten, um in {app} fortzufahren.",
  "lead.login":
    "Öffnen Sie diesen Code in {app}: Dort sehen Sie, welcher Computer anfragt, bevor Sie zustimmen. Hier zu öffnen ändert nichts.",
  "poster.from": "Von {store}",
  "open.button": "In {app} öffnen",
  "open.appLink": "Nichts passiert? Versuchen Sie den App-Link",
  "store.appStore": "Laden im App Store",
  "store.playStore": "Jetzt bei Google Play",
  "web.button": "Im Web fortfahren",
  "deferred.title": "Sie haben die App noch nicht?",
  "deferred.body":
    "Kopieren Sie diesen Link und installieren Sie dann die App. Beim ersten Öffnen bringt sie Sie direkt hierher zurück (eventuell werden Sie gebeten, den Link einzufügen).",
  "copy.button": "Link kopieren",
  "copy.done": "Link kopiert",
  "copy.failed": "Kopieren nicht möglich. Halten Sie den Link unten gedrückt, um ihn zu kopieren.",
  "blocked.title": "Öffnen Sie diese Seite in Ihrem Browser",
  "blocked.body.ios":
    "{browser} kann keine anderen Apps öffnen. Tippen Sie oben rechts auf ··· und wählen Sie dann „In Safari öffnen“.",
  "blocked.body.android":
    "{browser} kann keine anderen Apps öffnen. Tippen Sie oben rechts auf ··· und wählen Sie dann „Im Browser öffnen“.",
  "blocked.inApp": "Diese App",
  "blocked.copy":
    "Oder kopieren Sie den Link und fügen Sie ihn in die Adressleiste Ihres Browsers ein.",
  "desktop.title": "Scannen Sie dies mit Ihrem Smartphone",
  "desktop.body":
    "Richten Sie die Kamera Ihres Smartphones auf den Code, um in {app} fortzufahren.",
  "desktop.qrAlt": "QR-Code dieses Links",
  "desktop.tablet": "Auf einem Tablet? Sie können die App direkt hier öffnen:",
  "expiry.in": "Dieser Code läuft in {time} ab.",
  "expiry.soon": "Dieser Code läuft in weniger als einer Minute ab.",
  "expiry.minutes": "{n} Min.",
  "expiry.expired":
    "Dieser Code ist abgelaufen. Laden Sie die Seite am Computer neu, um einen neuen zu erhalten.",
  "entry.title": "Code eingeben",
  "entry.lead":
    "Geben Sie den Code ein, der unter dem QR-Code steht. Bindestriche und Kleinbuchstaben sind erlaubt.",
  "entry.label": "Code",
  "entry.button": "Weiter",
  "entry.invalid":
    "Dieser Code stimmt nicht. Prüfen Sie jedes Zeichen und versuchen Sie es erneut.",
  "msg.notFound.title": "Link nicht gefunden",
  "msg.notFound.body":
    "Diesen Link gibt es nicht, oder ein Teil fehlt. Prüfen Sie, ob der ganze Code gescannt wurde, und versuchen Sie es erneut.",
  "msg.expired.title": "Dieser Code ist abgelaufen",
  "msg.expired.body.handoff":
    "Codes auf einem Computer gelten nur wenige Minuten. Laden Sie die Seite am Computer neu und scannen Sie den neuen Code.",
  "msg.expired.body":
    "Dieser Link ist nicht mehr gültig. Bitten Sie die Person, die ihn geteilt hat, um einen neuen.",
  "msg.poster.title": "Dieses Plakat ist nicht mehr aktiv",
  "msg.poster.bodyStore":
    "Dieses Plakat von {store} ist nicht mehr aktiv. Fragen Sie das Personal nach einem aktuellen.",
  "msg.poster.body":
    "Dieses Plakat ist nicht mehr aktiv. Suchen Sie in der Nähe nach einem aktuellen.",
  "msg.invalid.title": "Dieser Link ist ungültig",
  "msg.invalid.body":
    "Der Code ist vielleicht beschädigt oder nur teilweise gescannt. Scannen Sie ihn erneut und halten Sie Ihr Smartphone dabei ruhig.",
  "msg.slowDown.title": "Zu viele Versuche",
  "msg.slowDown.body":
    "Aus Ihrem Netzwerk kamen gerade zu viele Versuche. Warten Sie eine Minute und versuchen Sie es dann erneut.",
};
