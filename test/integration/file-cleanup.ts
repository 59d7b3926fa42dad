// Runs before every workerd test file. Most files share a runtime, one after another
// (vitest.config.ts), so what a file leaves behind that would act on the next file ends with it:
// a `fetch` spy or a fake clock in the runtime's globals, and its webhook endpoints (they would
// receive the next file's events, and count towards the 25 active endpoints a deployment may
// have). Disabled as DELETE /v1/webhooks/{id} does: their pending deliveries are then skipped.
import { env } from "cloudflare:workers";
import { afterAll, vi } from "vitest";

afterAll(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await env.DB.prepare("UPDATE webhook_endpoints SET disabled_at = ? WHERE disabled_at IS NULL")
    .bind(Date.now())
    .run();
});
