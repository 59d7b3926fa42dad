/** The words of the scan pages in Japanese. */
import type { Words } from "./en";

export const JA: Words = {
  "doc.lang": "ja",
  "doc.dir": "ltr",
  "title.handoff": "アプリで続ける",
  "title.poster": "アプリで開く",
  "title.login": "パソコンでログイン",
  "app.fallbackName": "アプリ",
  "lead.handoff": "パソコンでの操作の続きを、スマートフォンで行えます。",
  "lead.poster": "下のボタンをタップして、{app}で続けてください。",
  "lead.login":
    "このコードを{app}で開いてください。承認する前に、どのパソコンからの要求かが表示されます。ここで開いても何も変わりません。",
  "poster.from": "{store}より",
  "open.button": "{app}で開く",
  "open.appLink": "開かない場合は、アプリのリンクをお試しください",
  "store.appStore": "App Storeでダウンロード",
  "store.playStore": "Google Playで手に入れよう",
  "web.button": "ウェブで続ける",
  "deferred.title": "アプリをお持ちでない場合",
  "deferred.body":
    "このリンクをコピーしてから、アプリをインストールしてください。初めてアプリを開くと、このページの内容にそのまま戻ります（リンクの貼り付けを求められることがあります）。",
  "copy.button": "リンクをコピー",
  "copy.done": "リンクをコピーしました",
  "copy.failed": "コピーできませんでした。下のリンクを長押ししてコピーしてください。",
  "blocked.title": "このページをブラウザで開いてください",
  "blocked.body.ios":
    "{browser}では他のアプリを開けません。右上の···をタップし、「Safariで開く」を選んでください。",
  "blocked.body.android":
    "{browser}では他のアプリを開けません。右上の···をタップし、「ブラウザで開く」を選んでください。",
  "blocked.inApp": "このアプリ",
  "blocked.copy": "または、リンクをコピーしてブラウザのアドレスバーに貼り付けてください。",
  "desktop.title": "スマートフォンでスキャンしてください",
  "desktop.body": "スマートフォンのカメラをコードに向けると、{app}で続けられます。",
  "desktop.qrAlt": "このリンクのQRコード",
  "desktop.tablet": "タブレットをお使いの場合は、ここからアプリを開けます：",
  "expiry.in": "このコードの有効期限まであと{time}です。",
  "expiry.soon": "このコードはあと1分以内に期限切れになります。",
  "expiry.minutes": "{n}分",
  "expiry.expired":
    "このコードは期限切れです。パソコンでページを再読み込みして、新しいコードを表示してください。",
  "entry.title": "コードを入力",
  "entry.lead":
    "QRコードの下に印刷されたコードを入力してください。ハイフンの有無や大文字・小文字は問いません。",
  "entry.label": "コード",
  "entry.button": "続ける",
  "entry.invalid": "コードが正しくありません。1文字ずつ確認して、もう一度お試しください。",
  "msg.notFound.title": "リンクが見つかりません",
  "msg.notFound.body":
    "このリンクは存在しないか、一部が欠けています。コード全体がスキャンされたか確認して、もう一度お試しください。",
  "msg.expired.title": "このコードは期限切れです",
  "msg.expired.body.handoff":
    "パソコンに表示されるコードの有効期間は数分です。パソコンでページを再読み込みし、新しいコードをスキャンしてください。",
  "msg.expired.body": "このリンクは無効になりました。共有した方に新しいリンクをお尋ねください。",
  "msg.poster.title": "このポスターは現在ご利用いただけません",
  "msg.poster.bodyStore":
    "{store}のこのポスターは現在ご利用いただけません。最新のものについてはスタッフにお尋ねください。",
  "msg.poster.body":
    "このポスターは現在ご利用いただけません。近くにある最新のポスターをお探しください。",
  "msg.invalid.title": "このリンクは無効です",
  "msg.invalid.body":
    "コードが傷んでいるか、一部しかスキャンされていない可能性があります。スマートフォンを動かさずに、もう一度スキャンしてください。",
  "msg.slowDown.title": "試行回数が多すぎます",
  "msg.slowDown.body":
    "お使いのネットワークからの試行が短時間に多すぎました。1分ほど待ってから、もう一度お試しください。",
};
