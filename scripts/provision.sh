#!/usr/bin/env bash
# Take a Cloudflare account from nothing to a running bridge. Needs `npx wrangler login` first
# (or CLOUDFLARE_API_TOKEN + CLOUDFLARE_ACCOUNT_ID in the environment).
#
#   bash scripts/provision.sh qr.example.com
#
# It creates the D1 database, the KV namespace and the queues, writes their ids into
# wrangler.toml, sets the secrets (generated here, printed once), applies the migrations
# remotely and deploys with QB_ENV=production and the custom domain.
set -euo pipefail
cd "$(dirname "$0")/.."
domain="${1:?usage: scripts/provision.sh <custom domain, e.g. qr.example.com>}"
export WRANGLER_SEND_METRICS=false
wr() { npx wrangler "$@"; }

echo "== D1 database"
db_out=$(wr d1 create qrbridge 2>&1 || true)
db_id=$(printf '%s' "$db_out" | grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' | head -1)
if [ -z "$db_id" ]; then db_id=$(wr d1 info qrbridge --json | grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' | head -1); fi
sed -i.bak -E "s/^database_id = \".*\"/database_id = \"$db_id\"/" wrangler.toml

echo "== KV namespace"
kv_out=$(wr kv namespace create CACHE 2>&1 || true)
kv_id=$(printf '%s' "$kv_out" | grep -oE '[0-9a-f]{32}' | head -1)
[ -n "$kv_id" ] || { echo "could not create or find the KV namespace:"; echo "$kv_out"; exit 1; }
sed -i.bak -E "s/^id = \"[0-9a-f]{32}\"/id = \"$kv_id\"/" wrangler.toml

echo "== Queues"
for q in qrbridge-hops qrbridge-hops-dlq qrbridge-webhooks qrbridge-webhooks-dlq; do
  wr queues create "$q" >/dev/null 2>&1 || echo "   ($q exists)"
done

echo "== R2 buckets"
for b in qrbridge-hops qrbridge-logos; do
  wr r2 bucket create "$b" >/dev/null 2>&1 || echo "   ($b exists)"
done

echo "== Public URL and custom domain"
node scripts/public-url-config.mjs "$domain" wrangler.toml
rm -f wrangler.toml.bak

echo "== Secrets (shown once: store them in your password manager)"
admin="qb_admin_$(openssl rand -hex 24)"
signing="K1:$(openssl rand -hex 32)"
salt="$(openssl rand -hex 32)"
printf '%s' "$admin" | wr secret put QB_ADMIN_KEY
printf '%s' "$signing" | wr secret put QB_SIGNING_KEYS
printf '%s' "$salt" | wr secret put QB_IP_SALT
echo "QB_ADMIN_KEY=$admin"
echo "QB_SIGNING_KEYS=$signing"

echo "== Migrations (remote) and deploy"
wr d1 migrations apply DB --remote
npm run deploy
echo "Done: https://$domain/healthz"
