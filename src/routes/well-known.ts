/**
 * App association files, generated from `config.apps`, so that a scan of `/h/…` or `/p/…` opens
 * the app directly when it is installed:
 *
 * - `GET /.well-known/apple-app-site-association` (iOS universal links): the `components`
 *   format (iOS 13+) with `caseSensitive: false`, because QR codes carry the path in capitals
 *   (`/H/…`), plus legacy `appID` + `paths` entries for iOS 12 and earlier.
 *   QR login links (`/l/…`) are added only with `QB_LOGIN_APP_LINKS` (`apps.loginAppLinks`):
 *   an app built without a `/l/` route would open on a login QR and show nothing.
 *   With App Clips configured (`QB_APP_CLIP_IDS`), an `appclips` section lists them, so a scan
 *   of `/p/…` or `/h/…` may start the App Clip (its experience URL is registered in App Store
 *   Connect) without the app installed.
 * - `GET /.well-known/assetlinks.json` (Android App Links): one
 *   `delegate_permission/common.handle_all_urls` statement for the package.
 *
 * Both are always 200 JSON (an empty association when no app is configured), never redirected,
 * cached for an hour. Apple and Google fetch them from the domain root: when the bridge is
 * mounted under a base path, serve these from the root with {@link appleAppSiteAssociation}
 * and {@link assetLinks}.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import type { BridgeConfig } from "../config";
import { access } from "./access";

const CACHE = "public, max-age=3600";

/** Path prefix of the bridge links: the path of `publicUrl` when set, else the base path. */
function linkPrefix(config: Pick<BridgeConfig, "publicUrl" | "basePath">): string {
  if (config.publicUrl) {
    try {
      return new URL(config.publicUrl).pathname.replace(/\/+$/, "");
    } catch {
      // resolveConfig already rejects a bad publicUrl; fall through to the base path.
    }
  }
  return config.basePath;
}

/** One `applinks.details[].components` entry. */
export interface AasaComponent {
  "/": string;
  caseSensitive: boolean;
  comment: string;
}

/** The `apple-app-site-association` document. */
export interface AppleAppSiteAssociation {
  applinks: {
    apps: [];
    details: (
      | { appIDs: string[]; components: AasaComponent[] }
      | { appID: string; paths: string[] }
    )[];
  };
  /** The App Clips allowed to be invoked from this domain's links (`QB_APP_CLIP_IDS`). */
  appclips?: { apps: string[] };
}

/** One Digital Asset Links statement. */
export interface AssetLinkStatement {
  relation: ["delegate_permission/common.handle_all_urls"];
  target: { namespace: "android_app"; package_name: string; sha256_cert_fingerprints: string[] };
}

/**
 * The AASA document for `config.apps.iosAppIds`; empty `details` without app ids.
 *
 * @example
 * appleAppSiteAssociation({ basePath: "", publicUrl: null, apps: { iosAppIds: ["ABCDE12345.com.example.app"] } });
 * // { applinks: { apps: [], details: [
 * //   { appIDs: ["ABCDE12345.com.example.app"], components: [{ "/": "/h/*", caseSensitive: false, … }, { "/": "/p/*", … }] },
 * //   { appID: "ABCDE12345.com.example.app", paths: ["/h/*", "/H/*", "/p/*", "/P/*"] } ] } }
 * // With apps.loginAppLinks: a third component "/l/*" and the paths "/l/*", "/L/*" as well.
 */
export function appleAppSiteAssociation(
  config: Pick<BridgeConfig, "publicUrl" | "basePath" | "apps">,
): AppleAppSiteAssociation {
  const ids = (config.apps.iosAppIds ?? []).map((s) => s.trim()).filter(Boolean);
  const clips = (config.apps.appClipIds ?? []).map((s) => s.trim()).filter(Boolean);
  const appclips = clips.length > 0 ? { appclips: { apps: clips } } : {};
  if (ids.length === 0) return { applinks: { apps: [], details: [] }, ...appclips };
  const base = linkPrefix(config);
  const components: AasaComponent[] = [
    { "/": `${base}/h/*`, caseSensitive: false, comment: "handoff links (QR codes use /H/)" },
    { "/": `${base}/p/*`, caseSensitive: false, comment: "poster links (QR codes use /P/)" },
  ];
  // Legacy `paths` are case-sensitive and know no options: list both spellings.
  const paths = [
    `${base}/h/*`,
    `${base}/H/*`.toUpperCase(),
    `${base}/p/*`,
    `${base}/P/*`.toUpperCase(),
  ];
  if (config.apps.loginAppLinks) {
    components.push({
      "/": `${base}/l/*`,
      caseSensitive: false,
      comment: "QR login links (QR codes use /L/)",
    });
    paths.push(`${base}/l/*`, `${base}/L/*`.toUpperCase());
  }
  return {
    applinks: {
      apps: [],
      details: [{ appIDs: ids, components }, ...ids.map((appID) => ({ appID, paths }))],
    },
    ...appclips,
  };
}

/**
 * A SHA-256 certificate fingerprint in the form Google expects: 32 uppercase hex pairs joined
 * by colons. Accepts the bare 64-hex form too; anything else is returned as given (uppercased).
 *
 * @example
 * normalizeFingerprint("ab" + "cd".repeat(31)); // "AB:CD:CD:…"
 */
export function normalizeFingerprint(value: string): string {
  const text = value.trim().toUpperCase();
  if (/^[0-9A-F]{64}$/.test(text)) return text.match(/../g)!.join(":");
  return text;
}

/**
 * The `assetlinks.json` statements for `config.apps.androidPackage`; `[]` unless both the
 * package and at least one certificate fingerprint are configured.
 *
 * @example
 * assetLinks({ apps: { androidPackage: "com.example.app", androidSha256: ["14:6D:…"] } });
 * // [{ relation: ["delegate_permission/common.handle_all_urls"],
 * //    target: { namespace: "android_app", package_name: "com.example.app", sha256_cert_fingerprints: ["14:6D:…"] } }]
 */
export function assetLinks(config: Pick<BridgeConfig, "apps">): AssetLinkStatement[] {
  const pkg = config.apps.androidPackage?.trim();
  const prints = (config.apps.androidSha256 ?? []).map(normalizeFingerprint).filter(Boolean);
  if (!pkg || prints.length === 0) return [];
  return [
    {
      relation: ["delegate_permission/common.handle_all_urls"],
      target: { namespace: "android_app", package_name: pkg, sha256_cert_fingerprints: prints },
    },
  ];
}

const Component = z.object({ "/": z.string(), caseSensitive: z.boolean(), comment: z.string() });

const Aasa = z
  .object({
    applinks: z.object({
      apps: z.array(z.string()).max(0),
      details: z.array(
        z.union([
          z.object({ appIDs: z.array(z.string()), components: z.array(Component) }),
          z.object({ appID: z.string(), paths: z.array(z.string()) }),
        ]),
      ),
    }),
    appclips: z.object({ apps: z.array(z.string()) }).optional(),
  })
  .openapi("AppleAppSiteAssociation");

const AssetLinks = z
  .array(
    z.object({
      relation: z.array(z.literal("delegate_permission/common.handle_all_urls")),
      target: z.object({
        namespace: z.literal("android_app"),
        package_name: z.string(),
        sha256_cert_fingerprints: z.array(z.string()),
      }),
    }),
  )
  .openapi("AssetLinks");

/**
 * Register the two association files.
 *
 * @example
 * registerWellKnownRoutes(app);
 */
export function registerWellKnownRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/.well-known/apple-app-site-association",
      operationId: "getAppleAppSiteAssociation",
      security: access.public,
      tags: ["apps"],
      responses: {
        200: {
          description: "The association; empty `details` when no iOS app is configured",
          content: { "application/json": { schema: Aasa } },
        },
      },
    }),
    (c) => c.json(appleAppSiteAssociation(c.var.config), 200, { "cache-control": CACHE }),
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/.well-known/assetlinks.json",
      operationId: "getAssetLinks",
      security: access.public,
      tags: ["apps"],
      responses: {
        200: {
          description: "Digital Asset Links statements; `[]` when no Android app is configured",
          content: { "application/json": { schema: AssetLinks } },
        },
      },
    }),
    (c) => c.json(assetLinks(c.var.config), 200, { "cache-control": CACHE }),
  );
}
