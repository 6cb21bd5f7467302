#!/usr/bin/env bash
# A consumer on TypeScript's legacy resolution (`moduleResolution: node10`, which ignores `exports`)
# type-checks against the PACKED tarball: `spacetimedb-http` through `types`, and
# `spacetimedb-http/node`, `spacetimedb-http/openapi.json` and `/openapi-3.0.json` through `typesVersions`.
# Needs a build (`npm run build`); packs with --ignore-scripts so it does not build again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[ -f dist/index.d.cts ] && [ -f dist/node.d.cts ] || { echo "check-node10: dist/ is not built (npm run build)" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/spacetimedb-http-node10-XXXXXX")
trap 'rm -rf "$dir"' EXIT
tarball=$(npm pack --ignore-scripts --silent --pack-destination "$dir" | tail -1)
mkdir -p "$dir/node_modules/spacetimedb-http" "$dir/node_modules/@types"
tar -xzf "$dir/$tarball" -C "$dir/node_modules/spacetimedb-http" --strip-components=1
# The package's own dependency and its type helpers, and Node's types (for the node entry), from this project.
for dep in openapi-fetch openapi-typescript-helpers; do ln -s "$root/node_modules/$dep" "$dir/node_modules/$dep"; done
ln -s "$root/node_modules/@types/node" "$dir/node_modules/@types/node"

cat >"$dir/consumer.ts" <<'TS'
import { createClient, SpacetimeHttpError, type Result } from "spacetimedb-http";
import { fromFile } from "spacetimedb-http/node";
import spec = require("spacetimedb-http/openapi.json");
import spec30 = require("spacetimedb-http/openapi-3.0.json");

const client = createClient({ baseUrl: "http://127.0.0.1:3000" });
const ping: Promise<Result<unknown>> = client.ping();
const stream: ReadableStream<Uint8Array> = fromFile("module.wasm");
const openapi: string = spec.openapi;
const openapi30: string = spec30.openapi;
// @ts-expect-error a typo in a method name must fail: the types are real, not `any`
client.pingg();
export { ping, stream, openapi, openapi30, SpacetimeHttpError };
TS
"$root/node_modules/.bin/tsc" --noEmit --strict --skipLibCheck --target es2022 --lib es2022,dom \
  --module commonjs --moduleResolution node10 --resolveJsonModule --types node "$dir/consumer.ts"
echo "check-node10: spacetimedb-http, /node, /openapi.json and /openapi-3.0.json type-check under moduleResolution node10"
