#!/usr/bin/env bash
# redocly lint exits 0 on warnings; the project's bar is 0 errors and 0 warnings.
set -uo pipefail
out=$(REDOCLY_TELEMETRY=off npx redocly lint 2>&1)
status=$?
printf '%s\n' "$out"
if [ "$status" -ne 0 ] || printf '%s\n' "$out" | grep -Eq '[0-9]+ warnings?'; then exit 1; fi
