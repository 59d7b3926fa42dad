/** The words of the scan pages in Spanish (neutral: for Latin American and Spanish readers). */
import type { Words } from "./en";

export const ES: Words = {
  "doc.lang": "es",
  "doc.dir": "ltr",
  "title.handoff": "Continuar en la app",
  "title.poster": "Abrir en la app",
  "title.login": "Iniciar sesión en tu computadora",
  "app.fallbackName": "la app",
  "lead.handoff": "Sigue en tu teléfono donde lo dejaste en la computadora.",
  "lead.poster": "Toca el botón de abajo para continuar en {app}.",
  "lead.login":
    "Abre este código en {app}: te muestra qué computadora lo solicita antes de que lo apruebes. Abrirlo aquí no cambia nada.",
  "poster.from": "De {store}",
  "open.button": "Abrir en {app}",
  "open.appLink": "¿No pasó nada? Prueba el enlace de la app",
  "store.appStore": "Descargar en el App Store",
  "store.playStore": "Disponible en Google Play",
  "web.button": "Continuar en la web",
  "deferred.title": "¿Aún no tienes la app?",
  "deferred.body":
    "Copia este enlace y luego instala la app. La primera vez que la abras, te traerá de vuelta aquí (puede que te pida pegar el enlace).",
  "copy.button": "Copiar enlace",
  "copy.done": "Enlace copiado",
  "copy.failed": "No se pudo copiar. Mantén pulsado el enlace de abajo para copiarlo.",
  "blocked.title": "Abre esta página en tu navegador",
  "blocked.body.ios":
    "{browser} no puede abrir otras apps. Toca ··· arriba a la derecha y elige “Abrir en Safari”.",
  "blocked.body.android":
    "{browser} no puede abrir otras apps. Toca ··· arriba a la derecha y elige “Abrir en el navegador”.",
  "blocked.inApp": "Esta app",
  "blocked.copy": "O copia el enlace y pégalo en la barra de direcciones de tu navegador.",
  "desktop.title": "Escanea esto con tu teléfono",
  "desktop.body": "Apunta la cámara de tu teléfono al código para continuar en {app}.",
  "desktop.qrAlt": "Código QR de este enlace",
  "desktop.tablet": "¿Usas una tableta? Puedes abrir la app aquí mismo:",
  "expiry.in": "Este código vence en {time}.",
  "expiry.soon": "Este código vence en menos de un minuto.",
  "expiry.minutes": "{n} min",
  "expiry.expired":
    "Este código venció. Actualiza la página en tu computadora para obtener uno nuevo.",
  "entry.title": "Escribe el código",
  "entry.lead": "Escribe el código impreso debajo del código QR. Puedes usar guiones y minúsculas.",
  "entry.label": "Código",
  "entry.button": "Continuar",
  "entry.invalid": "Ese código no es correcto. Revisa cada carácter e inténtalo de nuevo.",
  "msg.notFound.title": "Enlace no encontrado",
  "msg.notFound.body":
    "Este enlace no existe o le falta una parte. Comprueba que se escaneó el código completo e inténtalo de nuevo.",
  "msg.expired.title": "Este código venció",
  "msg.expired.body.handoff":
    "Los códigos que se muestran en una computadora duran solo unos minutos. Actualiza la página en tu computadora y escanea el código nuevo.",
  "msg.expired.body": "Este enlace ya no es válido. Pídele uno nuevo a quien lo compartió.",
  "msg.poster.title": "Este cartel ya no está activo",
  "msg.poster.bodyStore": "Este cartel de {store} ya no está activo. Pide uno vigente al personal.",
  "msg.poster.body": "Este cartel ya no está activo. Busca uno vigente cerca.",
  "msg.invalid.title": "Este enlace no es válido",
  "msg.invalid.body":
    "Puede que el código esté dañado o que se haya escaneado solo en parte. Vuelve a escanearlo con el teléfono firme.",
  "msg.slowDown.title": "Demasiados intentos",
  "msg.slowDown.body":
    "Hubo demasiados intentos desde tu red hace un momento. Espera un minuto e inténtalo de nuevo.",
};
