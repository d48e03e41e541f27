package login

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The JSON of the pages' own scripts (webauthn.js, mfa_webauthn.go): the
// page's CSRF token in a header, application/json from the issuer's
// origin, and a closed body. The headless login API, which the contract
// describes, is internal/loginapi's.

// maxJSONBody bounds the scripts' request bodies.
const maxJSONBody = 64 << 10

// checkJSONRequest applies the scripts' cross-site and media-type rules.
func checkJSONRequest(r *http.Request, t *tenancy.Tenant) error {
	if !loginpage.SameOrigin(r, t) {
		return httpx.Forbidden("Requests from another origin than the issuer's are not accepted.")
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return httpx.NewProblem(http.StatusUnsupportedMediaType, httpx.TypeUnsupportedMedia,
			"Unsupported media type", "Send application/json.")
	}
	return nil
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
