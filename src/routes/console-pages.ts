/**
 * The console's pages beside the funnel (`/dashboard/stores`, `/dashboard/posters/{id}`, …) and
 * its two static files. Each page is a frame the console's script fills from the `/v1` API
 * under the session (routes/console-api.ts); without a session it is the sign-in form. The
 * script and stylesheet have content-hashed names and are cached for a year.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { ApiError } from "../core/errors";
import { LIMITS } from "../limits";
import { CONSOLE_SECTIONS } from "../pages/console-sections";
import type { ConsoleView } from "../pages/console-shell";
import { SCOPES } from "../store/keys";
import { access } from "./access";
import { consoleKit, page } from "./dashboard";
import { currentSession } from "./dashboard-session";
import { errorResponses } from "./schemas";
import { qrImageOrigin } from "./urls";

const HtmlPage = { "text/html": { schema: z.string() } };
const LISTS = CONSOLE_SECTIONS;
const ITEMS = {
  stores: "store",
  campaigns: "campaign",
  posters: "poster",
  webhooks: "webhook",
} as const;
type Section = (typeof LISTS)[number];

/**
 * The console section a path names. A path that names none is a page that does not exist (404),
 * not a malformed request: `/dashboard/logout` typed into the address bar is one.
 */
function sectionOf(name: string): Section {
  const found = LISTS.find((s) => s === name);
  if (!found) throw new ApiError("not_found", `no console page ${name}`);
  return found;
}

/**
 * Register the console's pages and files (after the dashboard's API routes, whose paths these
 * patterns would otherwise match).
 *
 * @example
 * registerConsolePageRoutes(app);
 */
export function registerConsolePageRoutes(app: App): void {
  // Every page says "Console" and so do the docs, so people type /console: take them there
  // rather than to a 404. A GET that changes nothing; the path is the bridge's own.
  app.openapi(
    createRoute({
      method: "get",
      path: "/console",
      tags: ["dashboard"],
      operationId: "consoleAlias",
      security: access.public,
      responses: { 302: { description: "On to /dashboard" } },
    }),
    (c) => c.redirect(`${c.var.config.basePath}/dashboard`, 302),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/dashboard/assets/{file}",
      tags: ["dashboard"],
      operationId: "consoleAsset",
      security: access.public,
      request: { params: z.object({ file: z.string().max(60) }) },
      responses: {
        200: {
          description: "The file",
          content: {
            "text/javascript": { schema: z.string() },
            "text/css": { schema: z.string() },
          },
        },
        404: { description: "No such file (e.g. an older version's name)" },
      },
    }),
    async (c) => {
      const { file } = c.req.valid("param");
      const { kit } = await consoleKit(c);
      const files: Record<string, [string, string]> = {
        [kit.CONSOLE_JS_FILE]: [kit.CONSOLE_JS, "text/javascript; charset=utf-8"],
        [kit.CONSOLE_CSS_FILE]: [kit.CONSOLE_CSS, "text/css; charset=utf-8"],
      };
      for (const words of Object.values(kit.CONSOLE_WORDS))
        files[words.file] = [words.js, "text/javascript; charset=utf-8"];
      const hit = Object.hasOwn(files, file) ? files[file] : undefined;
      if (!hit) throw new ApiError("not_found", `no console file ${file}`);
      return c.body(hit[0], 200, {
        "content-type": hit[1],
        "cache-control": "public, max-age=31536000, immutable",
        "x-content-type-options": "nosniff",
      });
    },
  );

  const frame = async (c: Context<AppEnv>, view: Exclude<ConsoleView, "funnel">, id?: string) => {
    const session = await currentSession(c);
    const { kit, ...opts } = await consoleKit(c);
    if (!session) return page(kit.renderLoginPage(opts), opts.nonce);
    const html = kit.renderConsolePage({
      ...opts,
      session,
      view,
      id,
      batchLimit: LIMITS.posterBatch,
      keyScopes: SCOPES,
    });
    return page(html, opts.nonce, 200, undefined, qrImageOrigin(c));
  };

  app.openapi(
    createRoute({
      method: "get",
      path: "/dashboard/{section}",
      tags: ["dashboard"],
      operationId: "consolePage",
      security: access.sessionOptional,
      request: { params: z.object({ section: z.string().openapi({ enum: [...LISTS] }) }) },
      responses: {
        200: { description: "The page (or the sign-in form)", content: HtmlPage },
        ...errorResponses(404),
      },
    }),
    async (c) => frame(c, sectionOf(c.req.valid("param").section)),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/dashboard/{section}/{id}",
      tags: ["dashboard"],
      operationId: "consoleItemPage",
      security: access.sessionOptional,
      request: {
        params: z.object({
          section: z.string().openapi({ enum: Object.keys(ITEMS) }),
          id: z.string().openapi({ pattern: "^[A-Za-z0-9_]{1,40}$" }),
        }),
      },
      responses: {
        200: { description: "The page (or the sign-in form)", content: HtmlPage },
        ...errorResponses(404),
      },
    }),
    async (c) => {
      const { section, id } = c.req.valid("param");
      const view = Object.hasOwn(ITEMS, section) ? ITEMS[section as keyof typeof ITEMS] : null;
      if (!view || !/^[A-Za-z0-9_]{1,40}$/.test(id))
        throw new ApiError("not_found", `no console page ${section}/${id}`);
      return frame(c, view, id);
    },
  );
}
