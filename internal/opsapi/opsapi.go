// Package opsapi serves the contract's operational endpoints: health,
// readiness, metrics, the contract itself, its docs and changelog. They
// need no credential and have no tenant, so they are neither the Admin
// API's nor the account API's; they still pass the contract gate, so they
// are validated, named in metrics and documented like every other
// operation. The handlers themselves are plain ones that internal/server
// builds (the metrics registry and readiness check live there).
package opsapi

import (
	"net/http"

	"github.com/getkin/kin-openapi/routers"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apicontract"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
)

// Ops are the plain handlers behind the operational endpoints. Docs also
// serves the changelog (api.DocsHandler).
type Ops struct {
	Health, Ready, Metrics, OpenAPIJSON, OpenAPIYAML, Docs http.Handler
}

// Handler serves ops behind the contract gate of unsecured operations.
// Any other path of the contract answers as no operation.
func Handler(ops Ops) (http.Handler, error) {
	gate, err := restapi.NewGate("", nil)
	if err != nil {
		return nil, err
	}
	mux := restapi.Mux(unserved{}, func(si gen.ServerInterface) gen.ServerInterface {
		return opsServer{ServerInterface: si, ops: ops}
	})
	return gate.Middleware(mux), nil
}

// unserved has no strict handlers: opsServer serves every operational
// endpoint with a plain one, and the gate keeps out the rest.
type unserved struct{ restapi.Unserved }

// opsServer serves the operational endpoints with plain handlers (metrics,
// embedded files) instead of the strict typed path.
type opsServer struct {
	gen.ServerInterface
	ops Ops
}

func (o opsServer) GetHealth(w http.ResponseWriter, r *http.Request)    { o.ops.Health.ServeHTTP(w, r) }
func (o opsServer) GetReadiness(w http.ResponseWriter, r *http.Request) { o.ops.Ready.ServeHTTP(w, r) }
func (o opsServer) GetMetrics(w http.ResponseWriter, r *http.Request)   { o.ops.Metrics.ServeHTTP(w, r) }
func (o opsServer) GetOpenAPIJSON(w http.ResponseWriter, r *http.Request) {
	o.ops.OpenAPIJSON.ServeHTTP(w, r)
}
func (o opsServer) GetOpenAPIYAML(w http.ResponseWriter, r *http.Request) {
	o.ops.OpenAPIYAML.ServeHTTP(w, r)
}
func (o opsServer) GetDocs(w http.ResponseWriter, r *http.Request)       { o.ops.Docs.ServeHTTP(w, r) }
func (o opsServer) GetDocsScript(w http.ResponseWriter, r *http.Request) { o.ops.Docs.ServeHTTP(w, r) }
func (o opsServer) GetChangelog(w http.ResponseWriter, r *http.Request)  { o.ops.Docs.ServeHTTP(w, r) }

// The login API's operations (internal/loginapi) are unsecured too: on a
// server without the hosted login, the gate lets them through to here,
// where they are no operation.
func (o opsServer) AuthenticateLogin(w http.ResponseWriter, r *http.Request)     { noLogin(w, r) }
func (o opsServer) ConsentLogin(w http.ResponseWriter, r *http.Request)          { noLogin(w, r) }
func (o opsServer) LoginMFAChallenge(w http.ResponseWriter, r *http.Request)     { noLogin(w, r) }
func (o opsServer) LoginMFAVerify(w http.ResponseWriter, r *http.Request)        { noLogin(w, r) }
func (o opsServer) RegisterUser(w http.ResponseWriter, r *http.Request)          { noLogin(w, r) }
func (o opsServer) VerifyEmail(w http.ResponseWriter, r *http.Request)           { noLogin(w, r) }
func (o opsServer) StartPasswordRecovery(w http.ResponseWriter, r *http.Request) { noLogin(w, r) }
func (o opsServer) ResetPassword(w http.ResponseWriter, r *http.Request)         { noLogin(w, r) }

func noLogin(w http.ResponseWriter, r *http.Request) {
	httpx.WriteProblem(w, r, apicontract.NoOperation(r, routers.ErrPathNotFound))
}
