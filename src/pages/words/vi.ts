/** The words of the scan pages in Vietnamese. */
import type { Words } from "./en";

export const VI: Words = {
  "doc.lang": "vi",
  "doc.dir": "ltr",
  "title.handoff": "Tiếp tục trong ứng dụng",
  "title.poster": "Mở trong ứng dụng",
  "title.login": "Đăng nhập trên máy tính",
  "app.fallbackName": "ứng dụng",
  "lead.handoff": "Tiếp tục trên điện thoại từ chỗ bạn đã dừng trên máy tính.",
  "lead.poster": "Chạm vào nút bên dưới để tiếp tục trong {app}.",
  "lead.login":
    "Hãy mở mã này trong {app}: ứng dụng cho bạn biết máy tính nào đang yêu cầu trước khi bạn chấp thuận. Mở ở đây sẽ không thay đổi gì.",
  "poster.from": "Từ {store}",
  "open.button": "Mở trong {app}",
  "open.appLink": "Không có gì xảy ra? Hãy thử liên kết ứng dụng",
  "store.appStore": "Tải về trên App Store",
  "store.playStore": "Tải về trên Google Play",
  "web.button": "Tiếp tục trên web",
  "deferred.title": "Bạn chưa có ứng dụng?",
  "deferred.body":
    "Hãy sao chép liên kết này, rồi cài đặt ứng dụng. Lần đầu mở, ứng dụng sẽ đưa bạn quay lại ngay đây (có thể ứng dụng sẽ yêu cầu bạn dán liên kết).",
  "copy.button": "Sao chép liên kết",
  "copy.done": "Đã sao chép liên kết",
  "copy.failed": "Không sao chép được. Hãy nhấn giữ liên kết bên dưới để sao chép.",
  "blocked.title": "Hãy mở trang này trong trình duyệt",
  "blocked.body.ios":
    "{browser} không thể mở ứng dụng khác. Hãy chạm vào ··· ở góc trên bên phải, rồi chọn “Mở bằng Safari”.",
  "blocked.body.android":
    "{browser} không thể mở ứng dụng khác. Hãy chạm vào ··· ở góc trên bên phải, rồi chọn “Mở bằng trình duyệt”.",
  "blocked.inApp": "Ứng dụng này",
  "blocked.copy": "Hoặc sao chép liên kết và dán vào thanh địa chỉ của trình duyệt.",
  "desktop.title": "Hãy quét mã này bằng điện thoại",
  "desktop.body": "Hướng camera điện thoại vào mã để tiếp tục trong {app}.",
  "desktop.qrAlt": "Mã QR của liên kết này",
  "desktop.tablet": "Bạn đang dùng máy tính bảng? Bạn có thể mở ứng dụng ngay tại đây:",
  "expiry.in": "Mã này sẽ hết hạn sau {time}.",
  "expiry.soon": "Mã này sẽ hết hạn trong chưa đầy một phút.",
  "expiry.minutes": "{n} phút",
  "expiry.expired": "Mã này đã hết hạn. Hãy tải lại trang trên máy tính để nhận mã mới.",
  "entry.title": "Nhập mã",
  "entry.lead": "Nhập mã được in bên dưới mã QR. Có thể dùng dấu gạch ngang và chữ thường.",
  "entry.label": "Mã",
  "entry.button": "Tiếp tục",
  "entry.invalid": "Mã không đúng. Hãy kiểm tra từng ký tự rồi thử lại.",
  "msg.notFound.title": "Không tìm thấy liên kết",
  "msg.notFound.body":
    "Liên kết này không tồn tại hoặc bị thiếu một phần. Hãy kiểm tra xem toàn bộ mã đã được quét chưa rồi thử lại.",
  "msg.expired.title": "Mã này đã hết hạn",
  "msg.expired.body.handoff":
    "Mã hiển thị trên máy tính chỉ có hiệu lực trong vài phút. Hãy tải lại trang trên máy tính và quét mã mới.",
  "msg.expired.body": "Liên kết này không còn hiệu lực. Hãy xin người đã chia sẻ một liên kết mới.",
  "msg.poster.title": "Áp phích này không còn hoạt động",
  "msg.poster.bodyStore":
    "Áp phích này tại {store} không còn hoạt động. Hãy hỏi nhân viên để có áp phích mới nhất.",
  "msg.poster.body": "Áp phích này không còn hoạt động. Hãy tìm áp phích mới nhất ở gần đây.",
  "msg.invalid.title": "Liên kết này không hợp lệ",
  "msg.invalid.body":
    "Mã có thể bị hỏng hoặc chỉ được quét một phần. Hãy quét lại và giữ chắc điện thoại.",
  "msg.slowDown.title": "Quá nhiều lần thử",
  "msg.slowDown.body": "Mạng của bạn vừa thử quá nhiều lần. Hãy đợi một phút rồi thử lại.",
};
