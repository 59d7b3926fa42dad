import type { Catalog } from "./en";

/**
 * French (vous). A no-break space (U+00A0) before `:` and `?`, as French typesetting has it.
 * Not checked by a native speaker.
 */
export const fr: Catalog = {
  alt: "Code QR\u00a0: scannez-le avec votre téléphone pour continuer dans l’application",
  loading: "Création de votre code…",
  pending: "Scannez avec l’appareil photo de votre téléphone pour continuer dans l’application",
  scanned: "Scanné sur {device}. Continuez sur votre téléphone.",
  scannedAny: "Scanné. Continuez sur votre téléphone.",
  redeemed: "Terminé\u00a0: ouvert dans l’application.",
  expired: "Ce code a expiré.",
  cancelled: "Ce code a été annulé.",
  denied: "La demande a été refusée sur le téléphone.",
  error: "Impossible de créer un code ({code}).",
  paused: "Code en pause tant que cet onglet est en arrière-plan.",
  awaiting_confirmation: "Autoriser {device} à continuer dans l’application\u00a0?",
  approved: "Autorisé\u00a0: continuez sur votre téléphone.",
  approve: "Autoriser",
  deny: "Refuser",
  thisPhone: "ce téléphone",
  refresh: "Afficher un nouveau code",
  expiresIn: "Expire dans {t}",
  image: "Impossible d’afficher le code.",
  onPhone: "Vous êtes sur ce téléphone\u00a0? Ouvrez l’application\u00a0:",
  open: "Ouvrir dans l’application",
  "l.alt": "Code QR\u00a0: scannez-le avec l’application de votre téléphone pour vous connecter",
  "l.pending": "Scannez avec l’application de votre téléphone pour vous connecter",
  "l.scanned": "Scanné sur {device}. Confirmez sur votre téléphone.",
  "l.scannedAny": "Confirmez sur votre téléphone.",
  "l.approved": "Approuvé. Connexion en cours…",
  "l.denied": "La connexion a été refusée sur le téléphone.",
  warn: "Un autre téléphone a aussi essayé de scanner ce code. Si ce n’était pas vous, n’approuvez pas\u00a0: affichez un nouveau code.",
};
