/**
 * The dev-only QR login demo around the page at `/`: the simulated phone (`GET /demo/phone`)
 * and the demo's "company backend" for it (`POST /demo/login/approve` for the phone,
 * `POST /demo/login/exchange` for the PC page), calling the API with the demo backend's secret
 * key (demo-backend.ts). Served only when `config.demo` is on.
 *
 * The demo backend approves only the demo page's own logins (made from this origin, where its
 * publishable key is pinned): the approve route is keyless and its key a real secret key, so
 * otherwise anyone could have a login of the company's real page approved as the demo's user.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { ApiError } from "../core/errors";
import { renderDemoPhone } from "../pages/demo-phone";
import { htmlResponse, newNonce } from "../pages/security";
import { loginStub } from "../store/logins";
import { access } from "./access";
import { demoBackendCall, demoOn } from "./demo-backend";
import { loginIdOf } from "./logins";
import { errorResponses } from "./schemas";
import { publicBase, qrImageOrigin } from "./urls";

/** Who the demo app is signed in as: what its backend approves with. */
export const DEMO_USER = {
  subject: "demo-user-42",
  claims: { name: "Demo User", email: "demo@example.com" },
};

const Json = z.record(z.string(), z.unknown());
const jsonOf = <T extends z.ZodType>(schema: T) => ({
  content: { "application/json": { schema } },
  required: true as const,
});
const answer = {
  description: "What the API answered",
  content: { "application/json": { schema: Json } },
};

/**
 * Refuse (403) a login the demo page did not make: one whose requester's origin is not this
 * origin, where the demo's publishable key is pinned. An unknown id is left to the API (404).
 */
async function demoPageLoginOnly(c: Context<AppEnv>, rawId: string): Promise<void> {
  const r = await loginStub(c.env, loginIdOf(rawId)).get({ key: true }, null);
  if (!r.ok) return;
  if (r.login.requester.origin !== new URL(c.req.url).origin)
    throw new ApiError("forbidden", "the demo backend approves only the demo page's logins");
}

/**
 * Register the simulated phone and the demo backend.
 *
 * @example
 * registerDemoLoginRoutes(app);
 */
export function registerDemoLoginRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/demo/phone",
      operationId: "getDemoPhone",
      security: access.public,
      tags: ["meta"],
      request: {
        query: z.object({
          link: z.string().max(2048).optional(),
          lang: z.enum(["en", "zh"]).optional(),
        }),
      },
      responses: {
        200: { description: "The phone", content: { "text/html": { schema: z.string() } } },
        ...errorResponses(404),
      },
    }),
    (c) => {
      demoOn(c);
      const q = c.req.valid("query");
      const lang = q.lang ?? (/^zh\b/i.test(c.req.header("accept-language") ?? "") ? "zh" : "en");
      const nonce = newNonce();
      const page = renderDemoPhone(
        { lang, base: publicBase(c), demoBase: c.var.config.basePath, link: q.link ?? "" },
        nonce,
      );
      return htmlResponse(page, { nonce, connectOrigin: qrImageOrigin(c) }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/demo/login/approve",
      operationId: "approveDemoLogin",
      security: access.public,
      tags: ["meta"],
      request: {
        body: jsonOf(z.object({ id: z.string().min(20).max(40), scan: z.string().max(100) })),
      },
      responses: { 200: answer, ...errorResponses(400, 403, 404, 409, 410) },
    }),
    async (c) => {
      demoOn(c);
      const { id, scan } = c.req.valid("json");
      await demoPageLoginOnly(c, id);
      return (await demoBackendCall(app, c, `/v1/logins/${encodeURIComponent(id)}/approve`, {
        scan,
        ...DEMO_USER,
      })) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/demo/login/exchange",
      operationId: "exchangeDemoLogin",
      security: access.public,
      tags: ["meta"],
      request: {
        body: jsonOf(z.object({ ticket: z.string().max(100), code_verifier: z.string().max(256) })),
      },
      responses: { 200: answer, ...errorResponses(400, 404, 409, 410) },
    }),
    async (c) => {
      demoOn(c);
      return (await demoBackendCall(app, c, "/v1/logins/exchange", c.req.valid("json"))) as never;
    },
  );
}
