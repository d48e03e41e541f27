package console

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"

	"github.com/gatehouse-iam/gatehouse/internal/adminapi"
)

// The console reads and changes everything through the Admin API's
// operations, served in process (adminapi.API.InProcessHandler) with the
// signed-in admin's principal: the contract's validation, the tenant
// checks, the scopes and the audit log are the API's own.

// problem is an RFC 9457 problem the API answered.
type problem struct {
	Status int    `json:"status"`
	Type   string `json:"type"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	// Errors are the contract's FieldError: a JSON pointer to the member
	// and what is wrong with it.
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func (p *problem) Error() string { return p.Title + ": " + p.Detail }

// recorder is a minimal http.ResponseWriter that keeps the answer.
type recorder struct {
	h      http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{h: http.Header{}} }

func (r *recorder) Header() http.Header { return r.h }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

// call sends one Admin API request for the session's tenant: path is
// below /admin/v1/tenants/{tenant}; body, when not nil, is sent as JSON;
// a 2xx answer is decoded into out (when not nil). A 4xx or 5xx answer is
// returned as a *problem.
func (c *Console) call(ctx context.Context, s *session, method, path string, query url.Values, body, out any) error {
	return c.callAt(ctx, s, method, "/admin/v1/tenants/"+url.PathEscape(s.scope.ID)+path, query, body, out)
}

// callAt is call with the full path.
func (c *Console) callAt(ctx context.Context, s *session, method, path string, query url.Values, body, out any) error {
	_, err := c.callHeaders(ctx, s, method, path, nil, query, body, out)
	return err
}

// callHeaders is callAt with request headers, returning the answer's.
func (c *Console) callHeaders(ctx context.Context, s *session, method, path string, hdr http.Header, query url.Values, body, out any) (http.Header, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	target := path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	u, err := url.Parse(c.d.Issuer + target)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(adminapi.WithPrincipal(ctx, s.principal()), method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	req.RequestURI = u.RequestURI()
	req.RemoteAddr = "127.0.0.1:0"
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	rec := newRecorder()
	c.d.Admin.ServeHTTP(rec, req)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if rec.status >= 400 {
		p := &problem{Status: rec.status}
		if json.Unmarshal(rec.body.Bytes(), p) != nil || p.Title == "" {
			p.Title = http.StatusText(rec.status)
		}
		return rec.h, p
	}
	if out != nil && rec.body.Len() > 0 {
		return rec.h, json.Unmarshal(rec.body.Bytes(), out)
	}
	return rec.h, nil
}

// tenantList is every tenant, for a superadmin's switcher.
func (c *Console) tenantList(ctx context.Context, s *session) []tenantRef {
	var list struct {
		Items []struct {
			ID   string `json:"id"`
			Slug string `json:"slug"`
			Name string `json:"display_name"`
		} `json:"items"`
	}
	if err := c.callAt(ctx, s, http.MethodGet, "/admin/v1/tenants", url.Values{"limit": {"200"}}, nil, &list); err != nil {
		c.d.Log.WarnContext(ctx, "console: listing tenants failed", "err", err)
		return []tenantRef{s.tenant}
	}
	out := make([]tenantRef, 0, len(list.Items))
	for _, t := range list.Items {
		out = append(out, tenantRef{ID: t.ID, Slug: t.Slug, Name: t.Name})
	}
	return out
}
