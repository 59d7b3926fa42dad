/** The words of the scan pages in French (`vous`). */
import type { Words } from "./en";

export const FR: Words = {
  "doc.lang": "fr",
  "doc.dir": "ltr",
  "title.handoff": "Continuer dans l’application",
  "title.poster": "Ouvrir dans l’application",
  "title.login": "Se connecter sur votre ordinateur",
  "app.fallbackName": "l’application",
  "lead.handoff": "Reprenez sur votre téléphone là où vous vous étiez arrêté sur votre ordinateur.",
  "lead.poster": "Touchez le bouton ci-dessous pour continuer dans {app}.",
  "lead.login":
    "Ouvrez ce code dans {app} : vous verrez quel ordinateur fait la demande avant de l’approuver. L’ouvrir ici ne change rien.",
  "poster.from": "De la part de {store}",
  "open.button": "Ouvrir dans {app}",
  "open.appLink": "Rien ne s’est passé ? Essayez le lien de l’application",
  "store.appStore": "Télécharger dans l’App Store",
  "store.playStore": "Disponible sur Google Play",
  "web.button": "Continuer sur le Web",
  "deferred.title": "Vous n’avez pas encore l’application ?",
  "deferred.body":
    "Copiez ce lien, puis installez l’application. À sa première ouverture, elle vous ramène directement ici (elle peut vous demander de coller le lien).",
  "copy.button": "Copier le lien",
  "copy.done": "Lien copié",
  "copy.failed": "Impossible de copier. Appuyez longuement sur le lien ci-dessous pour le copier.",
  "blocked.title": "Ouvrez cette page dans votre navigateur",
  "blocked.body.ios":
    "{browser} ne peut pas ouvrir d’autres applications. Touchez ··· en haut à droite, puis choisissez « Ouvrir dans Safari ».",
  "blocked.body.android":
    "{browser} ne peut pas ouvrir d’autres applications. Touchez ··· en haut à droite, puis choisissez « Ouvrir dans le navigateur ».",
  "blocked.inApp": "Cette application",
  "blocked.copy": "Ou copiez le lien et collez-le dans la barre d’adresse de votre navigateur.",
  "desktop.title": "Scannez ceci avec votre téléphone",
  "desktop.body":
    "Pointez l’appareil photo de votre téléphone vers le code pour continuer dans {app}.",
  "desktop.qrAlt": "Code QR de ce lien",
  "desktop.tablet": "Sur une tablette ? Vous pouvez ouvrir l’application ici même :",
  "expiry.in": "Ce code expire dans {time}.",
  "expiry.soon": "Ce code expire dans moins d’une minute.",
  "expiry.minutes": "{n} min",
  "expiry.expired":
    "Ce code a expiré. Actualisez la page sur votre ordinateur pour en obtenir un nouveau.",
  "entry.title": "Saisissez le code",
  "entry.lead":
    "Tapez le code imprimé sous le code QR. Les tirets et les minuscules sont acceptés.",
  "entry.label": "Code",
  "entry.button": "Continuer",
  "entry.invalid": "Ce code n’est pas correct. Vérifiez chaque caractère et réessayez.",
  "msg.notFound.title": "Lien introuvable",
  "msg.notFound.body":
    "Ce lien n’existe pas ou une partie manque. Vérifiez que le code a été scanné en entier et réessayez.",
  "msg.expired.title": "Ce code a expiré",
  "msg.expired.body.handoff":
    "Les codes affichés sur un ordinateur ne durent que quelques minutes. Actualisez la page sur votre ordinateur et scannez le nouveau code.",
  "msg.expired.body":
    "Ce lien n’est plus valide. Demandez-en un nouveau à la personne qui l’a partagé.",
  "msg.poster.title": "Cette affiche n’est plus active",
  "msg.poster.bodyStore":
    "Cette affiche de {store} n’est plus active. Demandez-en une à jour au personnel.",
  "msg.poster.body": "Cette affiche n’est plus active. Cherchez-en une à jour à proximité.",
  "msg.invalid.title": "Ce lien n’est pas valide",
  "msg.invalid.body":
    "Le code est peut-être abîmé ou n’a été scanné qu’en partie. Scannez-le à nouveau en tenant votre téléphone immobile.",
  "msg.slowDown.title": "Trop de tentatives",
  "msg.slowDown.body":
    "Votre réseau vient de faire trop de tentatives. Attendez une minute, puis réessayez.",
};
