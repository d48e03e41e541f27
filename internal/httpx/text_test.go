package httpx

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// cleanTextServe sends req through BodyLimit and CleanText to a handler
// that records the body it reads, and returns the response and that body.
func cleanTextServe(req *http.Request) (*httptest.ResponseRecorder, []byte, bool) {
	var seen []byte
	reached := false
	h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = true
		seen, _ = io.ReadAll(r.Body)
	}), BodyLimit(1<<16), CleanText)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec, seen, reached
}

func TestCleanTextRefusesNULAndInvalidUTF8(t *testing.T) {
	multi := func(name, value string) (string, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		_ = mw.WriteField(name, value)
		_ = mw.Close()
		return b.String(), mw.FormDataContentType()
	}
	mpBody, mpType := multi("given_name", "a\x00b")
	mpNameBody, mpNameType := multi("a\xffb", "x")
	qp := "--B\r\nContent-Disposition: form-data; name=\"x\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\na=00b\r\n--B--\r\n"
	for _, tc := range []struct {
		name, method, target, ctype, body string
		header                            [2]string
		field                             string
	}{
		{name: "NUL in the path", target: "/t/a%00b/login", field: "path"},
		{name: "invalid UTF-8 in the path", target: "/users/%ff", field: "path"},
		{name: "NUL in a query value", target: "/login?authRequestID=a%00b", field: "query:authRequestID"},
		{name: "NUL in a query name", target: "/login?a%00=1", field: "query"},
		{name: "invalid UTF-8 in a query value", target: "/admin/v1/users?q=%C3%28", field: "query:q"},
		{name: "overlong NUL in a query", target: "/x?q=%C0%80", field: "query:q"},
		{name: "encoded surrogate in a query", target: "/x?q=%ED%A0%80", field: "query:q"},
		{name: "later query parameter", target: "/x?a=1&b=ok&c=%00", field: "query:c"},
		{name: "NUL in a form", method: "POST", target: "/login", ctype: "application/x-www-form-urlencoded",
			body: "csrf=x&identifier=a%00b", field: "form:identifier"},
		{name: "raw invalid UTF-8 in a form", method: "POST", target: "/login", ctype: "application/x-www-form-urlencoded; charset=utf-8",
			body: "identifier=a\xffb", field: "form:identifier"},
		{name: "NUL in multipart", method: "POST", target: "/login", ctype: mpType, body: mpBody, field: "form:given_name"},
		{name: "invalid name in multipart", method: "POST", target: "/login", ctype: mpNameType, body: mpNameBody, field: "form:ab"},
		{name: "quoted-printable NUL in multipart", method: "POST", target: "/login", ctype: "multipart/form-data; boundary=B",
			body: qp, field: "form:x"},
		{name: "escaped NUL in JSON", method: "POST", target: "/login/api/authenticate", ctype: "application/json",
			body: `{"auth_request_id":"a\u0000b"}`},
		{name: "escaped NUL in a nested key", method: "POST", target: "/admin/v1/users", ctype: "application/json",
			body: `{"attributes":{"a":[{"b\u0000":1}]}}`},
		{name: "upper-case hex surrogate", method: "PATCH", target: "/x", ctype: "application/merge-patch+json", body: `{"a":"\uDBFF"}`},
		{name: "lone high surrogate", method: "POST", target: "/x", ctype: "application/json", body: `{"a":"\ud800"}`},
		{name: "high surrogate then text", method: "POST", target: "/x", ctype: "application/json", body: `{"a":"\ud800abcdef"}`},
		{name: "lone low surrogate", method: "POST", target: "/x", ctype: "application/json", body: `{"a":"\udc00"}`},
		{name: "reversed surrogates", method: "POST", target: "/x", ctype: "application/json", body: `{"a":"\udc00\ud800"}`},
		{name: "raw NUL in JSON", method: "POST", target: "/x", ctype: "application/json", body: "{\"a\":\"\x00\"}"},
		{name: "raw invalid UTF-8 in JSON", method: "POST", target: "/x", ctype: "application/json", body: "{\"a\":\"\xc3\x28\"}"},
		{name: "no content type", method: "POST", target: "/x", body: `{"a":"\u0000"}`},
		{name: "text/plain", method: "PUT", target: "/x", ctype: "text/plain", body: "a\x00"},
		{name: "invalid UTF-8 in Idempotency-Key", method: "POST", target: "/admin/v1/users", ctype: "application/json",
			body: `{}`, header: [2]string{"Idempotency-Key", "k\xff"}, field: "header:Idempotency-Key"},
		{name: "invalid UTF-8 in User-Agent", target: "/login", header: [2]string{"User-Agent", "Mozilla\xe9"}, field: "header:User-Agent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, tc.target, strings.NewReader(tc.body))
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			if tc.header[0] != "" {
				req.Header.Set(tc.header[0], tc.header[1])
			}
			rec, _, reached := cleanTextServe(req)
			var p Problem
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != 400 || p.Type != TypeValidation || reached {
				t.Fatalf("%d %s (handler reached: %v)", rec.Code, rec.Body, reached)
			}
			if len(p.Errors) != 1 || p.Errors[0].Field != tc.field {
				t.Fatalf("field errors %+v, want field %q", p.Errors, tc.field)
			}
		})
	}
}

func TestCleanTextPassesTextAndRestoresTheBody(t *testing.T) {
	for _, tc := range []struct{ method, target, ctype, body string }{
		{"GET", "/login?authRequestID=abc&ui_locales=de%20fr&x=%E2%82%AC+%F0%9F%98%80", "", ""},
		{"GET", "/t/acme/v1/me/sessions/%C3%A9t%C3%A9", "", ""},
		{"GET", "/x?broken=%zz&q=100%", "", ""}, // malformed escapes are the parser's to refuse
		{"POST", "/oauth/token", "application/x-www-form-urlencoded",
			"grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier=" + strings.Repeat("v", 64)},
		{"POST", "/admin/v1/users", "application/json; charset=utf-8",
			`{"email":"jöhn@example.com","given_name":"\u00e9\ud83d\ude00","attributes":{"k\\u0000":"\\\\u0000","t":"\t\n"}}`},
		{"POST", "/x", "application/json", `{"a":"\\"}`},
		{"POST", "/x", "application/json", `{"a":"\ud83d\ude00\ud83d\ude00"}`},
		{"POST", "/x", "application/json", `not json \u00`}, // invalid JSON: the parser's
		{"POST", "/x", "application/json", `"\`},
		{"DELETE", "/x", "", ""},
	} {
		req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
		if tc.ctype != "" {
			req.Header.Set("Content-Type", tc.ctype)
		}
		req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0 — ünïcode")
		rec, seen, reached := cleanTextServe(req)
		if !reached || rec.Code != 200 || string(seen) != tc.body {
			t.Errorf("%s %s %q: %d %s, handler read %q", tc.method, tc.target, tc.body, rec.Code, rec.Body, seen)
		}
	}
}

func TestCleanTextBodyLimit(t *testing.T) {
	req := httptest.NewRequest("POST", "/x", strings.NewReader(strings.Repeat("a", 1<<16+1)))
	req.ContentLength = -1 // chunked: only reading finds it too large
	rec, _, reached := cleanTextServe(req)
	if rec.Code != http.StatusRequestEntityTooLarge || reached {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

// refJSONBad is a plain reference for badJSONText on valid JSON: it walks
// every character, tracking strings and escapes.
func refJSONBad(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 || !utf8.Valid(b) {
		return true
	}
	inString := false
	for i := 0; i < len(b); i++ {
		switch {
		case !inString:
			inString = b[i] == '"'
		case b[i] == '"':
			inString = false
		case b[i] == '\\':
			i++
			if b[i] != 'u' {
				continue
			}
			v, _ := strconv.ParseUint(string(b[i+1:i+5]), 16, 32)
			i += 4
			switch {
			case v == 0, v >= 0xDC00 && v <= 0xDFFF:
				return true
			case v >= 0xD800 && v <= 0xDBFF:
				if i+6 >= len(b) || b[i+1] != '\\' || b[i+2] != 'u' {
					return true
				}
				lo, _ := strconv.ParseUint(string(b[i+3:i+7]), 16, 32)
				if lo < 0xDC00 || lo > 0xDFFF {
					return true
				}
				i += 6
			}
		}
	}
	return false
}

func FuzzBadJSONText(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":"\u0000"}`, `["\\u0000"]`, `"\ud800\udc00"`, `"\ud800\u0041"`, `"\udbff"`,
		`{"\u00e9":["x","\"\\\/\b\f\n\r\t"]}`, "\"\xff\"", `"\ud800\\udc00"`, `[1,"\ud800",2]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got := badJSONText(b)
		if got >= len(b) {
			t.Fatalf("offset %d past the end", got)
		}
		if json.Valid(b) && (got >= 0) != refJSONBad(b) {
			t.Fatalf("badJSONText(%q) = %d, reference says bad=%v", b, got, refJSONBad(b))
		}
	})
}

func FuzzCleanURLEncoded(f *testing.F) {
	for _, s := range []string{"a=b", "a=%00", "a=%C3%A9&b=%ff", "%zz=1", "a+b=c+d", "x=%E2%82", "q=%F0%9F%98%80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vals, err := url.ParseQuery(s)
		if err != nil {
			return // the parser refuses it before any handler reads it
		}
		want := true
		for k, vs := range vals {
			want = want && cleanString(k)
			for _, v := range vs {
				want = want && cleanString(v)
			}
		}
		if got := cleanURLEncoded(s); got != want {
			t.Fatalf("cleanURLEncoded(%q) = %v, parsed values say %v", s, got, want)
		}
	})
}
