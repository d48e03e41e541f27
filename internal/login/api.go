package login

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The headless login API (api/openapi.yaml, tag login): the same steps as
// the pages, answered with JSON, for first-party apps that draw their own
// sign-in screen. There are no CSRF tokens: requiring application/json
// keeps plain cross-site form posts out (they cannot send that type
// without a CORS preflight, which we never grant), and a browser's Origin
// must be the issuer's.

// TypeInvalidCredentials is the problem type of a failed sign-in.
const TypeInvalidCredentials = "urn:gatehouse:problem:invalid-credentials"

// TypeEmailUnverified is the problem type of a correct sign-in refused
// because the tenant requires a verified email.
const TypeEmailUnverified = "urn:gatehouse:problem:email-unverified"

// maxJSONBody bounds the API's request bodies.
const maxJSONBody = 64 << 10

// checkJSONRequest applies the API's cross-site and media-type rules.
func checkJSONRequest(r *http.Request, t *tenancy.Tenant) error {
	if !sameOrigin(r, t) {
		return httpx.Forbidden("Requests from another origin than the issuer's are not accepted.")
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return httpx.NewProblem(http.StatusUnsupportedMediaType, httpx.TypeUnsupportedMedia,
			"Unsupported media type", "Send application/json.")
	}
	return nil
}

// apiProblem maps handler errors to problems.
func apiProblem(err error) error {
	switch {
	case errors.Is(err, oidc.ErrUnknownRequest):
		return httpx.NotFound("The authorization request is unknown or expired.")
	case errors.Is(err, errBadCredentials):
		return httpx.NewProblem(http.StatusUnauthorized, TypeInvalidCredentials, "Invalid credentials",
			"Incorrect email/username or password.")
	case errors.As(err, new(*loginflow.LimitedError)):
		return apiLimited(err)
	case errors.Is(err, errEmailUnverified):
		return httpx.NewProblem(http.StatusForbidden, TypeEmailUnverified, "Email not verified",
			"Verify your email first: a new code was sent if the last one is older than a minute. Continue with verifyEmail.")
	case errors.Is(err, store.ErrInvalidInput):
		return httpx.Validation("The request contains text the server cannot store (a NUL character or invalid UTF-8).")
	}
	return err
}

// stringLimits are the schema's maxLength of the string members, in
// characters.
var stringLimits = map[string]int{"auth_request_id": 64, "identifier": maxIdentifierLen, "password": 1024}

// decodeJSON reads a closed JSON object into v (a generated model): every
// required member present and not null, no unknown members, strings within
// the contract's bounds.
func decodeJSON(r *http.Request, v any, required ...string) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxJSONBody+1))
	if httpx.IsTooLarge(err) || len(body) > maxJSONBody {
		return httpx.PayloadTooLarge(maxJSONBody)
	}
	if err != nil {
		return httpx.Validation("The request body could not be read.")
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		return httpx.NewProblem(http.StatusBadRequest, httpx.TypeMalformedJSON, "Malformed JSON",
			"The request body is not a JSON object.")
	}
	var fields []httpx.FieldError
	for _, name := range required {
		if raw, ok := members[name]; !ok || string(raw) == "null" {
			fields = append(fields, httpx.FieldError{Field: "/" + name, Message: "is required"})
		}
	}
	for name, raw := range members {
		var s string
		if max, ok := stringLimits[name]; ok && json.Unmarshal(raw, &s) == nil {
			if n := utf8.RuneCountInString(s); n < 1 || n > max {
				fields = append(fields, httpx.FieldError{Field: "/" + name, Message: "must be 1 to " + strconv.Itoa(max) + " characters"})
			}
		}
	}
	if len(fields) > 0 {
		return httpx.Validation("The request body is invalid.", fields...)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return httpx.Validation("The request body does not match the contract: " + err.Error())
	}
	return nil
}

// Authenticate is authenticateLogin (loginapi.Steps).
func (h *apiHandler) Authenticate(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.LoginAuthenticateRequest) (gen.LoginResult, error) {
	return result(h.apiAuthenticate(w, r, t, req))
}

// Consent is consentLogin (loginapi.Steps).
func (h *apiHandler) Consent(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.LoginConsentRequest) (gen.LoginResult, error) {
	return result(h.apiConsent(w, r, t, req))
}

// result is an operation's answer for loginapi: the result, or the
// error as a problem.
func result[T any](res *T, err error) (T, error) {
	if err != nil || res == nil {
		var zero T
		if err == nil {
			err = errors.New("login: no result")
		}
		return zero, apiProblem(err)
	}
	return *res, nil
}

func (h *apiHandler) apiAuthenticate(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.LoginAuthenticateRequest) (*gen.LoginResult, error) {
	in, err := h.p.Interaction(r.Context(), t, req.AuthRequestID)
	if err != nil {
		return nil, err
	}
	if !in.FirstParty {
		return nil, loginflow.ErrNotFirstParty
	}
	if err := h.LimitSignIn(r, t, req.Identifier); err != nil {
		return nil, apiLimited(err)
	}
	r, u, err := h.CheckPassword(r, t, in.Client.ID, req.Identifier, req.Password)
	if errors.Is(err, errEmailUnverified) {
		if err := h.SendVerification(r, t, u, in); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, err
	}
	if in.Request.UserID != "" && in.Request.UserID != u.ID {
		return h.FailResult(r, in, oidc.RefuseLoginRequired)
	}
	s, err := h.StartSession(w, r, t, u, in.Client.ID)
	if err != nil {
		return nil, err
	}
	if err := h.RiskSignedIn(w, r, t, s, u); err != nil {
		return nil, err
	}
	res, err := h.Next(r, in, &loginflow.Account{Session: s, User: u})
	if err != nil {
		return nil, err
	}
	if res.Status != gen.LoginResultStatusMfaRequired {
		h.Record(r, t, events.LoginSucceeded, u.ID, map[string]any{"client_id": in.Client.ID, "amr": s.AMR, "acr": s.ACR, "api": true})
	}
	return res, nil
}

func (h *apiHandler) apiConsent(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.LoginConsentRequest) (*gen.LoginResult, error) {
	in, err := h.p.Interaction(r.Context(), t, req.AuthRequestID)
	if err != nil {
		return nil, err
	}
	if !in.FirstParty {
		return nil, loginflow.ErrNotFirstParty
	}
	acct, err := h.CurrentAccount(r, t)
	if err != nil {
		return nil, err
	}
	if acct == nil {
		// A sign-in that still owes a step is told which.
		if p, err := h.Unfinished(r, t); p != nil || err != nil {
			if err == nil {
				err = h.apiOwed(r, in, p.Session)
			}
			return nil, err
		}
	}
	if acct == nil || !h.Satisfies(in, acct.Session) {
		return nil, loginflow.ErrNoSession
	}
	if lacks, err := h.LacksFactor(r, in, acct); lacks || err != nil {
		if err == nil {
			err = loginflow.MFARequired(in)
		}
		return nil, err
	}
	if !req.Approve {
		return h.FailResult(r, in, oidc.RefuseAccessDenied)
	}
	if err := h.p.GrantConsent(r.Context(), in, acct.Session.UserID); err != nil {
		return nil, err
	}
	h.Record(r, in.Tenant, events.ConsentGranted, acct.Session.UserID, map[string]any{"client_id": in.Client.ID, "scopes": in.Request.Scopes})
	return h.CompleteResult(r, in, acct.Session)
}

// apiOwed is the problem for a session that still owes a step of its
// sign-in: a password change, or else the factor.
func (h *apiHandler) apiOwed(r *http.Request, in *oidc.Interaction, s *oauth.Session) error {
	if loginflow.OnlyOwes(s, oauth.StepPasswordChange) {
		if err := h.PasswordChangeGate(r, in, s); err != nil {
			return err
		}
		return loginflow.ErrNoSession
	}
	return loginflow.MFARequired(in)
}
