/** The words of the scan pages in Portuguese (Brazilian spelling). */
import type { Words } from "./en";

export const PT: Words = {
  "doc.lang": "pt",
  "doc.dir": "ltr",
  "title.handoff": "Continuar no app",
  "title.poster": "Abrir no app",
  "title.login": "Entrar no seu computador",
  "app.fallbackName": "app",
  "lead.handoff": "Continue no celular de onde você parou no computador.",
  "lead.poster": "Toque abaixo para continuar no {app}.",
  "lead.login":
    "Abra este código no {app}: ele mostra qual computador está pedindo antes de você aprovar. Abrir aqui não muda nada.",
  "poster.from": "De {store}",
  "open.button": "Abrir no {app}",
  "open.appLink": "Nada aconteceu? Tente o link do app",
  "store.appStore": "Baixar na App Store",
  "store.playStore": "Disponível no Google Play",
  "web.button": "Continuar na web",
  "deferred.title": "Ainda não tem o app?",
  "deferred.body":
    "Copie este link e depois instale o app. Na primeira vez que você abrir o app, ele traz você de volta para cá (ele pode pedir que você cole o link).",
  "copy.button": "Copiar link",
  "copy.done": "Link copiado",
  "copy.failed": "Não foi possível copiar. Toque e segure o link abaixo para copiá-lo.",
  "blocked.title": "Abra esta página no seu navegador",
  "blocked.body.ios":
    "{browser} não consegue abrir outros apps. Toque em ··· no canto superior direito e escolha “Abrir no Safari”.",
  "blocked.body.android":
    "{browser} não consegue abrir outros apps. Toque em ··· no canto superior direito e escolha “Abrir no navegador”.",
  "blocked.inApp": "Este app",
  "blocked.copy": "Ou copie o link e cole na barra de endereços do seu navegador.",
  "desktop.title": "Escaneie isto com o celular",
  "desktop.body": "Aponte a câmera do celular para o código para continuar no {app}.",
  "desktop.qrAlt": "Código QR deste link",
  "desktop.tablet": "Está em um tablet? Você pode abrir o app aqui mesmo:",
  "expiry.in": "Este código expira em {time}.",
  "expiry.soon": "Este código expira em menos de um minuto.",
  "expiry.minutes": "{n} min",
  "expiry.expired": "Este código expirou. Atualize a página no computador para obter um novo.",
  "entry.title": "Digite o código",
  "entry.lead":
    "Digite o código impresso abaixo do código QR. Pode usar hífens e letras minúsculas.",
  "entry.label": "Código",
  "entry.button": "Continuar",
  "entry.invalid": "Esse código não está certo. Confira cada caractere e tente de novo.",
  "msg.notFound.title": "Link não encontrado",
  "msg.notFound.body":
    "Este link não existe ou está incompleto. Confira se o código inteiro foi escaneado e tente de novo.",
  "msg.expired.title": "Este código expirou",
  "msg.expired.body.handoff":
    "Os códigos mostrados no computador valem só por alguns minutos. Atualize a página no computador e escaneie o código novo.",
  "msg.expired.body": "Este link não é mais válido. Peça um novo a quem o compartilhou.",
  "msg.poster.title": "Este cartaz não está mais ativo",
  "msg.poster.bodyStore":
    "Este cartaz de {store} não está mais ativo. Peça um atualizado à equipe.",
  "msg.poster.body": "Este cartaz não está mais ativo. Procure um atualizado por perto.",
  "msg.invalid.title": "Este link não é válido",
  "msg.invalid.body":
    "O código pode estar danificado ou ter sido escaneado só em parte. Escaneie de novo, segurando o celular firme.",
  "msg.slowDown.title": "Tentativas demais",
  "msg.slowDown.body":
    "Houve tentativas demais da sua rede agora há pouco. Espere um minuto e tente de novo.",
};
