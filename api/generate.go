package api

// Regenerate the Go code in gen/ from openapi.yaml: go generate ./api/...
// api/check-generated.sh fails CI when the committed code is stale.

//go:generate go tool oapi-codegen -config oapi-codegen.models.yaml openapi.yaml
//go:generate go tool oapi-codegen -config oapi-codegen.server.yaml openapi.yaml
//go:generate go tool oapi-codegen -config oapi-codegen.client.yaml openapi.yaml
