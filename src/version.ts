/**
 * The bridge's version, reported by `/healthz` and in the OpenAPI document. package.json is its
 * one source: bundlers (wrangler, vitest, the package build) inline just this field.
 */
import { version } from "../package.json";

export const VERSION: string = version;
