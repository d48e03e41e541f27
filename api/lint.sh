#!/usr/bin/env bash
# Lints api/openapi.yaml with Redocly CLI (rules: api/redocly.yaml, accepted
# exceptions: api/.redocly.lint-ignore.yaml). Exits non-zero on any error.
# Needs Node and the npm registry (npx fetches the pinned CLI once).
set -euo pipefail
cd "$(dirname "$0")/.."
exec npx --yes @redocly/cli@2.77.0 lint --config api/redocly.yaml "$@"
