/**
 * `/v1/dead-letters`: what the queues could not process, for the operator (admin key only):
 * list them and send them back once the cause is fixed.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { access } from "./access";
import { adminKit } from "./lazy-modules";
import { actorOf, requireKey } from "./middleware";
import { errorResponses } from "./schemas";

const DeadLetter = z
  .object({
    id: z.string(),
    queue: z.string(),
    type: z.string().nullable(),
    body: z.unknown(),
    attempts: z.number().int(),
    error: z.string().nullable(),
    received_at: z.number().int(),
    replayed_at: z.number().int().nullable(),
    envelope: z.string().nullable(),
  })
  .openapi("DeadLetter");

/**
 * Register the dead-letter routes.
 *
 * @example
 * registerDeadLetterRoutes(app);
 */
export function registerDeadLetterRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/dead-letters",
      operationId: "listDeadLetters",
      tags: ["operations"],
      security: access.admin,
      middleware: [requireKey("admin")] as const,
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(500).optional(),
          replayed: z.enum(["true", "false"]).optional(),
        }),
      },
      responses: {
        200: {
          description: "Dead letters, newest first",
          content: {
            "application/json": { schema: z.object({ dead_letters: z.array(DeadLetter) }) },
          },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const { listDeadLetters } = await adminKit();
      const letters = await listDeadLetters(c.env.DB, {
        limit: q.limit ?? 100,
        includeReplayed: q.replayed === "true",
      });
      return c.json({ dead_letters: letters }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/dead-letters/replay",
      operationId: "replayDeadLetters",
      tags: ["operations"],
      security: access.admin,
      middleware: [requireKey("admin")] as const,
      request: {
        body: {
          content: {
            "application/json": {
              schema: z
                .object({ ids: z.array(z.string().min(1).max(200)).min(1).max(500) })
                .strict(),
            },
          },
          required: true,
        },
      },
      responses: {
        200: {
          description: "What was replayed",
          content: {
            "application/json": {
              schema: z.object({
                replayed: z.number().int(),
                skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
              }),
            },
          },
        },
        ...errorResponses(400, 401, 403, 413, 415),
      },
    }),
    async (c) => {
      const { ids } = c.req.valid("json");
      const { replayDeadLetters } = await adminKit();
      return c.json(await replayDeadLetters(c.env, c.var.config, ids, Date.now(), actorOf(c)), 200);
    },
  );
}
