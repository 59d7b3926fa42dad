#!/usr/bin/env node
// Points a wrangler.toml at the bridge's own domain, for scripts/provision.sh:
//
//   node scripts/public-url-config.mjs qr.example.com [wrangler.toml]
//
// Sets QB_PUBLIC_URL under [vars] (beside QB_ENV) and the custom-domain route. `routes` is a
// top-level key, so it goes before the first table: appended at the end of the file, TOML would
// read it as a key of the last table ([alias]) and wrangler would refuse the whole file. Running
// it again changes nothing (a second QB_PUBLIC_URL would be a duplicate key, just as fatal).
import { readFileSync, realpathSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;

/**
 * The configuration text with `QB_PUBLIC_URL` and the custom-domain route set for `domain`.
 *
 * @param {string} toml a wrangler.toml's text, with `QB_ENV = "…"` under [vars]
 * @param {string} domain a plain host name
 * @returns {string}
 * @example
 * withPublicUrl('name = "w"\n[vars]\nQB_ENV = "development"\n', "qr.example.com")
 * // 'name = "w"\nroutes = [{ pattern = "qr.example.com", custom_domain = true }]\n\n[vars]\n
 * //  QB_ENV = "development"\nQB_PUBLIC_URL = "https://qr.example.com"\n'
 */
export function withPublicUrl(toml, domain) {
  if (!HOST.test(domain)) throw new Error(`not a plain host name: ${domain}`);
  const url = `QB_PUBLIC_URL = "https://${domain}"`;
  let out = /^QB_PUBLIC_URL = .*$/m.test(toml)
    ? toml.replace(/^QB_PUBLIC_URL = .*$/m, url)
    : toml.replace(/^(QB_ENV = .*)$/m, `$1\n${url}`);
  if (!out.includes(url))
    throw new Error("no QB_ENV line under [vars] to put QB_PUBLIC_URL beside");
  const route = `routes = [{ pattern = "${domain}", custom_domain = true }]`;
  if (/^routes = /m.test(out)) out = out.replace(/^routes = .*$/m, route);
  else {
    const firstTable = out.search(/^\[/m);
    out =
      firstTable < 0
        ? `${out}\n${route}\n`
        : `${out.slice(0, firstTable)}${route}\n\n${out.slice(firstTable)}`;
  }
  return out;
}

// Run, not imported (the tests import withPublicUrl): compared as paths, since a URL escapes a
// space or a non-ASCII letter of the checkout's path, and Node runs the script's real path.
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  const [domain, file = "wrangler.toml"] = process.argv.slice(2);
  if (!domain) {
    console.error("usage: node scripts/public-url-config.mjs <domain> [wrangler.toml]");
    process.exit(2);
  }
  writeFileSync(file, withPublicUrl(readFileSync(file, "utf8"), domain));
}
