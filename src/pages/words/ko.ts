/** The words of the scan pages in Korean. */
import type { Words } from "./en";

export const KO: Words = {
  "doc.lang": "ko",
  "doc.dir": "ltr",
  "title.handoff": "앱에서 계속하기",
  "title.poster": "앱에서 열기",
  "title.login": "컴퓨터에서 로그인",
  "app.fallbackName": "앱",
  "lead.handoff": "컴퓨터에서 하던 작업을 휴대폰에서 이어서 하세요.",
  "lead.poster": "아래 버튼을 눌러 {app}에서 계속하세요.",
  "lead.login":
    "이 코드를 {app}에서 여세요. 승인하기 전에 어느 컴퓨터가 요청하는지 보여 줍니다. 여기에서 열면 아무것도 바뀌지 않습니다.",
  "poster.from": "{store} 제공",
  "open.button": "{app}에서 열기",
  "open.appLink": "아무 반응이 없나요? 앱 링크를 눌러 보세요",
  "store.appStore": "App Store에서 다운로드",
  "store.playStore": "Google Play에서 다운로드",
  "web.button": "웹에서 계속하기",
  "deferred.title": "아직 앱이 없으신가요?",
  "deferred.body":
    "이 링크를 복사한 다음 앱을 설치하세요. 앱을 처음 열면 바로 이곳으로 돌아옵니다(링크를 붙여 넣으라는 요청이 나올 수 있습니다).",
  "copy.button": "링크 복사",
  "copy.done": "링크를 복사했습니다",
  "copy.failed": "복사하지 못했습니다. 아래 링크를 길게 눌러 복사하세요.",
  "blocked.title": "이 페이지를 브라우저에서 여세요",
  "blocked.body.ios":
    "{browser}에서는 다른 앱을 열 수 없습니다. 오른쪽 위의 ···를 누른 다음 “Safari로 열기”를 선택하세요.",
  "blocked.body.android":
    "{browser}에서는 다른 앱을 열 수 없습니다. 오른쪽 위의 ···를 누른 다음 “브라우저로 열기”를 선택하세요.",
  "blocked.inApp": "이 앱",
  "blocked.copy": "또는 링크를 복사해 브라우저 주소창에 붙여 넣으세요.",
  "desktop.title": "휴대폰으로 스캔하세요",
  "desktop.body": "휴대폰 카메라를 코드에 비추면 {app}에서 계속할 수 있습니다.",
  "desktop.qrAlt": "이 링크의 QR 코드",
  "desktop.tablet": "태블릿을 사용 중인가요? 여기에서 바로 앱을 열 수 있습니다:",
  "expiry.in": "이 코드는 {time} 후에 만료됩니다.",
  "expiry.soon": "이 코드는 1분 안에 만료됩니다.",
  "expiry.minutes": "{n}분",
  "expiry.expired": "이 코드는 만료되었습니다. 컴퓨터에서 페이지를 새로 고쳐 새 코드를 받으세요.",
  "entry.title": "코드 입력",
  "entry.lead": "QR 코드 아래에 인쇄된 코드를 입력하세요. 하이픈과 소문자도 괜찮습니다.",
  "entry.label": "코드",
  "entry.button": "계속",
  "entry.invalid": "코드가 올바르지 않습니다. 글자를 하나씩 확인한 후 다시 시도하세요.",
  "msg.notFound.title": "링크를 찾을 수 없습니다",
  "msg.notFound.body":
    "이 링크는 존재하지 않거나 일부가 빠져 있습니다. 코드 전체가 스캔되었는지 확인한 후 다시 시도하세요.",
  "msg.expired.title": "이 코드는 만료되었습니다",
  "msg.expired.body.handoff":
    "컴퓨터에 표시되는 코드는 몇 분 동안만 유효합니다. 컴퓨터에서 페이지를 새로 고친 후 새 코드를 스캔하세요.",
  "msg.expired.body": "이 링크는 더 이상 유효하지 않습니다. 공유한 사람에게 새 링크를 요청하세요.",
  "msg.poster.title": "이 포스터는 더 이상 사용되지 않습니다",
  "msg.poster.bodyStore":
    "{store}의 이 포스터는 더 이상 사용되지 않습니다. 직원에게 최신 포스터를 문의하세요.",
  "msg.poster.body": "이 포스터는 더 이상 사용되지 않습니다. 근처에서 최신 포스터를 찾아 주세요.",
  "msg.invalid.title": "유효하지 않은 링크입니다",
  "msg.invalid.body":
    "코드가 손상되었거나 일부만 스캔되었을 수 있습니다. 휴대폰을 움직이지 말고 다시 스캔하세요.",
  "msg.slowDown.title": "시도 횟수가 너무 많습니다",
  "msg.slowDown.body":
    "방금 사용 중인 네트워크에서 시도가 너무 많았습니다. 1분 후에 다시 시도하세요.",
};
