/** The words of the scan pages in Indonesian. */
import type { Words } from "./en";

export const ID: Words = {
  "doc.lang": "id",
  "doc.dir": "ltr",
  "title.handoff": "Lanjutkan di aplikasi",
  "title.poster": "Buka di aplikasi",
  "title.login": "Masuk di komputer Anda",
  "app.fallbackName": "aplikasi",
  "lead.handoff": "Lanjutkan di ponsel dari bagian terakhir yang Anda buka di komputer.",
  "lead.poster": "Ketuk tombol di bawah untuk melanjutkan di {app}.",
  "lead.login":
    "Buka kode ini di {app}: aplikasi akan menunjukkan komputer mana yang meminta sebelum Anda menyetujuinya. Membukanya di sini tidak mengubah apa pun.",
  "poster.from": "Dari {store}",
  "open.button": "Buka di {app}",
  "open.appLink": "Tidak terjadi apa-apa? Coba tautan aplikasi",
  "store.appStore": "Unduh di App Store",
  "store.playStore": "Dapatkan di Google Play",
  "web.button": "Lanjutkan di web",
  "deferred.title": "Belum punya aplikasinya?",
  "deferred.body":
    "Salin tautan ini, lalu instal aplikasinya. Saat pertama kali dibuka, aplikasi akan langsung membawa Anda kembali ke sini (mungkin Anda diminta menempelkan tautan).",
  "copy.button": "Salin tautan",
  "copy.done": "Tautan disalin",
  "copy.failed": "Tidak dapat menyalin. Tekan lama tautan di bawah untuk menyalinnya.",
  "blocked.title": "Buka halaman ini di browser Anda",
  "blocked.body.ios":
    "{browser} tidak dapat membuka aplikasi lain. Ketuk ··· di kanan atas, lalu pilih “Buka di Safari”.",
  "blocked.body.android":
    "{browser} tidak dapat membuka aplikasi lain. Ketuk ··· di kanan atas, lalu pilih “Buka di browser”.",
  "blocked.inApp": "Aplikasi ini",
  "blocked.copy": "Atau salin tautan dan tempelkan ke bilah alamat browser Anda.",
  "desktop.title": "Pindai ini dengan ponsel Anda",
  "desktop.body": "Arahkan kamera ponsel ke kode untuk melanjutkan di {app}.",
  "desktop.qrAlt": "Kode QR tautan ini",
  "desktop.tablet": "Menggunakan tablet? Anda dapat membuka aplikasi langsung di sini:",
  "expiry.in": "Kode ini kedaluwarsa dalam {time}.",
  "expiry.soon": "Kode ini kedaluwarsa dalam waktu kurang dari satu menit.",
  "expiry.minutes": "{n} mnt",
  "expiry.expired":
    "Kode ini sudah kedaluwarsa. Muat ulang halaman di komputer Anda untuk mendapatkan kode baru.",
  "entry.title": "Masukkan kode",
  "entry.lead":
    "Ketik kode yang tercetak di bawah kode QR. Tanda hubung dan huruf kecil tidak masalah.",
  "entry.label": "Kode",
  "entry.button": "Lanjutkan",
  "entry.invalid": "Kode itu tidak benar. Periksa setiap karakter, lalu coba lagi.",
  "msg.notFound.title": "Tautan tidak ditemukan",
  "msg.notFound.body":
    "Tautan ini tidak ada, atau sebagian hilang. Pastikan seluruh kode terpindai, lalu coba lagi.",
  "msg.expired.title": "Kode ini sudah kedaluwarsa",
  "msg.expired.body.handoff":
    "Kode yang ditampilkan di komputer hanya berlaku beberapa menit. Muat ulang halaman di komputer Anda, lalu pindai kode yang baru.",
  "msg.expired.body":
    "Tautan ini sudah tidak berlaku. Mintalah tautan baru kepada orang yang membagikannya.",
  "msg.poster.title": "Poster ini sudah tidak aktif",
  "msg.poster.bodyStore":
    "Poster di {store} ini sudah tidak aktif. Mintalah yang terbaru kepada staf.",
  "msg.poster.body": "Poster ini sudah tidak aktif. Carilah poster terbaru di sekitar Anda.",
  "msg.invalid.title": "Tautan ini tidak valid",
  "msg.invalid.body":
    "Kode mungkin rusak atau hanya terpindai sebagian. Pindai lagi sambil memegang ponsel dengan stabil.",
  "msg.slowDown.title": "Terlalu banyak percobaan",
  "msg.slowDown.body":
    "Baru saja ada terlalu banyak percobaan dari jaringan Anda. Tunggu satu menit, lalu coba lagi.",
};
