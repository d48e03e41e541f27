#!/usr/bin/env bash
# Fails (exit 1) when the committed code in api/gen/ is not what
# `go generate ./api/...` makes from api/openapi.yaml and the oapi-codegen
# configs. It regenerates into a temporary directory, with the commands of
# api/generate.go, and leaves the work tree alone. Run from anywhere.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"

# The oapi-codegen version pinned by the tool directive in go.mod.
go build -o "$tmp/oapi-codegen" github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen

mkdir -p "$tmp/api/gen"
cp go.mod "$tmp/" # oapi-codegen reads the Go version from it
cp api/openapi.yaml api/oapi-codegen.*.yaml "$tmp/api/"
directives=$(sed -n 's|^//go:generate go tool oapi-codegen ||p' api/generate.go)
if [ -z "$directives" ]; then
	echo "check-generated: no oapi-codegen directives in api/generate.go" >&2
	exit 1
fi
while read -r args; do
	# shellcheck disable=SC2086 # the directive's arguments, split as go generate does
	(cd "$tmp/api" && "$tmp/oapi-codegen" $args)
done <<<"$directives"

if ! diff -ru api/gen "$tmp/api/gen"; then
	echo "check-generated: api/gen is stale; run: go generate ./api/..." >&2
	exit 1
fi
echo "check-generated: api/gen matches api/openapi.yaml"
