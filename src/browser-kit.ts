/**
 * What only a browser or a developer's tool asks for, as one module: the `<qr-bridge>` embed's
 * code and its language catalogs, the console's script and stylesheet and its page renderers, the OpenAPI document's
 * generator (`/openapi.json`) with the reference's words (summaries, descriptions, examples:
 * routes/reference/) and the API reference page's renderer (`/docs`). Built by
 * scripts/build-lazy-modules.mjs into src/generated/browser-kit.js and uploaded beside the
 * Worker as an additional module (wrangler.toml `find_additional_modules`); the routes import
 * it on first use (routes/lazy-modules.ts), so scans and API calls never load or parse it.
 */
export {
  CONSOLE_CSS,
  CONSOLE_CSS_FILE,
  CONSOLE_JS,
  CONSOLE_JS_FILE,
  CONSOLE_WORDS,
} from "./client/dist/console.gen";
export { EMBED_JS } from "./client/dist/embed.gen";
export { CATALOGS } from "./client/langs/catalogs";
export { renderConsolePage, renderDashboardPage, renderLoginPage } from "./pages/dashboard";
export { renderDocsPage } from "./pages/docs";
export { generateOpenApiDocument } from "./routes/openapi-generator";
export { DESCRIPTION, REFERENCE, TAGS } from "./routes/reference";
