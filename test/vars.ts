/**
 * The `QB_*` variables of the test Worker: given to workerd by vitest.config.ts, and to the
 * Node-side route tests (test/unit/node-worker.ts), so both run the same configuration.
 */
export const TEST_VARS = {
  QB_ENV: "test",
  QB_ADMIN_KEY: "qb_admin_test_key_0123456789abcdef",
  QB_SIGNING_KEYS:
    "T1:test-signing-key-one-0123456789abcdef,T2:test-signing-key-two-0123456789abcdef",
  QB_IP_SALT: "test-ip-salt",
  // App association (landing pages, /.well-known/*): a fictional demo app.
  QB_APP_NAME: "QRBridge Demo",
  QB_APP_SCHEME: "qrbridge-demo",
  QB_IOS_APP_IDS: "ABCDE12345.com.example.qrbridge",
  QB_APP_CLIP_IDS: "ABCDE12345.com.example.qrbridge.Clip",
  QB_APP_STORE_URL: "https://apps.apple.com/app/id1234567890",
  QB_ANDROID_PACKAGE: "com.example.qrbridge",
  QB_ANDROID_SHA256:
    "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5",
  QB_PLAY_STORE_URL: "https://play.google.com/store/apps/details?id=com.example.qrbridge",
} as const;
