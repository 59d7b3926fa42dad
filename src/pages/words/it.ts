/** The words of the scan pages in Italian. */
import type { Words } from "./en";

export const IT: Words = {
  "doc.lang": "it",
  "doc.dir": "ltr",
  "title.handoff": "Continua nell’app",
  "title.poster": "Apri nell’app",
  "title.login": "Accedi sul computer",
  "app.fallbackName": "app",
  "lead.handoff": "Riprendi sul telefono da dove eri rimasto sul computer.",
  "lead.poster": "Tocca qui sotto per continuare in {app}.",
  "lead.login":
    "Apri questo codice in {app}: ti mostra quale computer lo chiede prima che tu approvi. Aprirlo qui non cambia nulla.",
  "poster.from": "Da {store}",
  "open.button": "Apri in {app}",
  "open.appLink": "Non è successo niente? Prova il link dell’app",
  "store.appStore": "Scarica su App Store",
  "store.playStore": "Disponibile su Google Play",
  "web.button": "Continua sul web",
  "deferred.title": "Non hai ancora l’app?",
  "deferred.body":
    "Copia questo link, poi installa l’app. La prima volta che la apri, ti riporta direttamente qui (potrebbe chiederti di incollare il link).",
  "copy.button": "Copia link",
  "copy.done": "Link copiato",
  "copy.failed": "Copia non riuscita. Tieni premuto il link qui sotto per copiarlo.",
  "blocked.title": "Apri questa pagina nel browser",
  "blocked.body.ios":
    "{browser} non può aprire altre app. Tocca ··· in alto a destra, poi scegli “Apri in Safari”.",
  "blocked.body.android":
    "{browser} non può aprire altre app. Tocca ··· in alto a destra, poi scegli “Apri nel browser”.",
  "blocked.inApp": "Questa app",
  "blocked.copy": "Oppure copia il link e incollalo nella barra degli indirizzi del browser.",
  "desktop.title": "Scansiona con il telefono",
  "desktop.body": "Inquadra il codice con la fotocamera del telefono per continuare in {app}.",
  "desktop.qrAlt": "Codice QR di questo link",
  "desktop.tablet": "Usi un tablet? Puoi aprire l’app direttamente qui:",
  "expiry.in": "Questo codice scade tra {time}.",
  "expiry.soon": "Questo codice scade tra meno di un minuto.",
  "expiry.minutes": "{n} min",
  "expiry.expired":
    "Questo codice è scaduto. Ricarica la pagina sul computer per averne uno nuovo.",
  "entry.title": "Inserisci il codice",
  "entry.lead": "Digita il codice stampato sotto il codice QR. Trattini e minuscole vanno bene.",
  "entry.label": "Codice",
  "entry.button": "Continua",
  "entry.invalid": "Il codice non è corretto. Controlla ogni carattere e riprova.",
  "msg.notFound.title": "Link non trovato",
  "msg.notFound.body":
    "Questo link non esiste o ne manca una parte. Controlla che sia stato scansionato tutto il codice e riprova.",
  "msg.expired.title": "Questo codice è scaduto",
  "msg.expired.body.handoff":
    "I codici mostrati su un computer durano solo pochi minuti. Ricarica la pagina sul computer e scansiona il nuovo codice.",
  "msg.expired.body": "Questo link non è più valido. Chiedine uno nuovo a chi lo ha condiviso.",
  "msg.poster.title": "Questo poster non è più attivo",
  "msg.poster.bodyStore":
    "Questo poster di {store} non è più attivo. Chiedine uno aggiornato al personale.",
  "msg.poster.body": "Questo poster non è più attivo. Cercane uno aggiornato qui vicino.",
  "msg.invalid.title": "Questo link non è valido",
  "msg.invalid.body":
    "Il codice potrebbe essere danneggiato o scansionato solo in parte. Scansionalo di nuovo tenendo fermo il telefono.",
  "msg.slowDown.title": "Troppi tentativi",
  "msg.slowDown.body":
    "Dalla tua rete sono arrivati troppi tentativi poco fa. Attendi un minuto, poi riprova.",
};
