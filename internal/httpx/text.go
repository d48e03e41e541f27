package httpx

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CleanText refuses, with one 400 validation problem, a request that
// carries a NUL character or invalid UTF-8 in any string parameter: the
// path, the query, a form (urlencoded or multipart), a JSON body (every
// string, object keys and nested values included, NUL and unpaired
// surrogates written as \u escapes too), or a header that handlers read as
// text (textHeaders). No parameter of Gatehouse may hold them, PostgreSQL
// cannot store them (SQLSTATE 22021, 22P05), and logs and pages must not
// show them; checking once here keeps every handler, on both engines,
// from answering 500.
//
// A body is read once, under the BodyLimit that runs before, and put back
// for the handler as an in-memory reader. Bodies that are neither forms nor
// JSON are checked as JSON text, which is stricter than their own syntax:
// no route takes binary bodies.
func CleanText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cleanString(r.URL.Path) {
			WriteProblem(w, r, badText(FieldError{Field: "path", Message: badTextMessage}))
			return
		}
		if r.URL.RawQuery != "" && !cleanURLEncoded(r.URL.RawQuery) {
			WriteProblem(w, r, badText(urlEncodedField("query", r.URL.RawQuery)))
			return
		}
		for _, name := range textHeaders {
			for _, v := range r.Header[name] {
				if !utf8.ValidString(v) { // net/http already refuses NUL in headers
					WriteProblem(w, r, badText(FieldError{Field: "header:" + name, Message: badTextMessage}))
					return
				}
			}
		}
		if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
			next.ServeHTTP(w, r)
			return
		}
		body, err := readBody(r)
		if err != nil {
			if IsTooLarge(err) {
				WriteProblem(w, r, PayloadTooLarge(0).WithDetail("The request body is too large."))
				return
			}
			WriteProblem(w, r, Validation("The request body could not be read."))
			return
		}
		r.Body = newBodyReader(body)
		if fe, ok := checkBody(r.Header.Get("Content-Type"), body); !ok {
			WriteProblem(w, r, badText(fe))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// textHeaders are the request headers handlers read as text and may store:
// the contract's header parameters, and the user agent recorded with
// sessions and events.
var textHeaders = []string{"Idempotency-Key", "If-Match", "User-Agent"}

const badTextMessage = "must be UTF-8 text without NUL characters"

func badText(fe FieldError) *Problem {
	return Validation("The request contains a NUL character or invalid UTF-8.", fe)
}

// readBody reads r's body whole, in one allocation when its length is known.
func readBody(r *http.Request) ([]byte, error) {
	if n := r.ContentLength; n > 0 && n <= 1<<20 {
		b := make([]byte, n)
		if _, err := io.ReadFull(r.Body, b); err != nil {
			return nil, err
		}
		// Nothing may follow the declared length; net/http ensures it.
		return b, nil
	}
	return io.ReadAll(r.Body)
}

// bodyReader is a read body put back: one allocation for the reader and
// its Close.
type bodyReader struct{ bytes.Reader }

func (*bodyReader) Close() error { return nil }

func newBodyReader(b []byte) *bodyReader {
	br := &bodyReader{}
	br.Reset(b)
	return br
}

// checkBody checks body by its media type and names the first bad field.
func checkBody(contentType string, body []byte) (FieldError, bool) {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	switch {
	case strings.EqualFold(mt, "application/x-www-form-urlencoded"):
		if !cleanURLEncoded(body) {
			return urlEncodedField("form", string(body)), false
		}
	case strings.EqualFold(mt, "multipart/form-data"):
		_, params, _ := mime.ParseMediaType(contentType)
		return checkMultipart(body, params["boundary"])
	default: // JSON, and anything else as if it were
		if at := badJSONText(body); at >= 0 {
			return FieldError{Field: "", Message: "the body " + badTextMessage + " (byte " + strconv.Itoa(at) + ")"}, false
		}
	}
	return FieldError{}, true
}

// checkMultipart checks every part's name, file name and content. A body
// that does not parse is left to the handler.
func checkMultipart(body []byte, boundary string) (FieldError, bool) {
	if boundary == "" {
		return FieldError{}, true
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		p, err := mr.NextPart()
		if err != nil {
			return FieldError{}, true
		}
		content, err := io.ReadAll(p) // quoted-printable parts come decoded
		name := p.FormName()
		if err != nil {
			return FieldError{}, true
		}
		if !cleanString(name) || !cleanString(p.FileName()) || !cleanBytes(content) {
			return FieldError{Field: "form:" + strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", ""), ""), Message: badTextMessage}, false
		}
	}
}

// urlEncodedField names the first bad parameter of a query or form (kind
// "query" or "form"); only called once cleanURLEncoded failed.
func urlEncodedField(kind, s string) FieldError {
	for part := range strings.SplitSeq(s, "&") {
		k, v, _ := strings.Cut(part, "=")
		if !cleanURLEncoded(k) {
			return FieldError{Field: kind, Message: "a parameter name " + badTextMessage}
		}
		if !cleanURLEncoded(v) {
			name, err := url.QueryUnescape(k)
			if err != nil {
				name = k
			}
			return FieldError{Field: kind + ":" + name, Message: badTextMessage}
		}
	}
	return FieldError{Field: kind, Message: badTextMessage}
}

func cleanString(s string) bool {
	return strings.IndexByte(s, 0) < 0 && utf8.ValidString(s)
}

func cleanBytes(b []byte) bool {
	return bytes.IndexByte(b, 0) < 0 && utf8.Valid(b)
}

// cleanURLEncoded reports whether s, once percent-decoded ('+' is a space
// and needs none), is UTF-8 without NUL. Checking the decoded stream as a
// whole is the same as checking each name and value: the separators are
// ASCII, so they never complete a multi-byte character. A malformed escape
// is left to the form parser, which refuses it. Nothing is copied: runs
// without escapes are checked in bulk, the rest a byte at a time
// (utf8Stream).
func cleanURLEncoded[T string | []byte](s T) bool {
	var u utf8Stream
	for len(s) > 0 {
		run := s
		if j := indexByte(s, '%'); j >= 0 {
			run = s[:j]
		}
		if len(run) > 0 && u.need == 0 && clean(run) {
			s = s[len(run):] // whole characters: the state stays at a boundary
			continue
		}
		for i := 0; i < len(run); i++ {
			if !u.next(run[i]) {
				return false
			}
		}
		s = s[len(run):]
		if len(s) == 0 {
			break
		}
		c, n := s[0], 1 // s[0] is '%'
		if len(s) >= 3 {
			if h, ok := unhex(s[1]); ok {
				if l, ok := unhex(s[2]); ok {
					c, n = h<<4|l, 3
				}
			}
		}
		if !u.next(c) {
			return false
		}
		s = s[n:]
	}
	return u.need == 0
}

func indexByte[T string | []byte](s T, c byte) int {
	switch v := any(s).(type) {
	case string:
		return strings.IndexByte(v, c)
	case []byte:
		return bytes.IndexByte(v, c)
	}
	return -1
}

// clean reports whether s is UTF-8 without NUL.
func clean[T string | []byte](s T) bool {
	switch v := any(s).(type) {
	case string:
		return cleanString(v)
	case []byte:
		return cleanBytes(v)
	}
	return false
}

// utf8Stream checks a byte stream for well-formed UTF-8 without NUL, one
// byte at a time (RFC 3629's table of well-formed byte sequences: no
// overlong forms, surrogates or code points past U+10FFFF).
type utf8Stream struct {
	need   int  // continuation bytes still expected
	lo, hi byte // the range of the next continuation byte
}

func (u *utf8Stream) next(c byte) bool {
	if u.need > 0 {
		if c < u.lo || c > u.hi {
			return false
		}
		u.need, u.lo, u.hi = u.need-1, 0x80, 0xBF
		return true
	}
	switch {
	case c == 0:
		return false
	case c < 0x80:
	case c >= 0xC2 && c <= 0xDF:
		u.need, u.lo, u.hi = 1, 0x80, 0xBF
	case c == 0xE0:
		u.need, u.lo, u.hi = 2, 0xA0, 0xBF
	case c == 0xED:
		u.need, u.lo, u.hi = 2, 0x80, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		u.need, u.lo, u.hi = 2, 0x80, 0xBF
	case c == 0xF0:
		u.need, u.lo, u.hi = 3, 0x90, 0xBF
	case c >= 0xF1 && c <= 0xF3:
		u.need, u.lo, u.hi = 3, 0x80, 0xBF
	case c == 0xF4:
		u.need, u.lo, u.hi = 3, 0x80, 0x8F
	default:
		return false
	}
	return true
}

// badJSONText returns the offset of the first NUL or invalid UTF-8 in the
// JSON text b, counting \u0000 and unpaired surrogate escapes (\ud800) too,
// or -1. Backslashes occur only inside strings in valid JSON, so every one
// that is not itself escaped starts an escape; invalid JSON is the
// parser's to refuse.
func badJSONText(b []byte) int {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return i
	}
	if !utf8.Valid(b) {
		for i := 0; i < len(b); {
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n <= 1 {
				return i
			}
			i += n
		}
	}
	for i := bytes.IndexByte(b, '\\'); i >= 0 && i+1 < len(b); {
		at := i
		next := i + 2
		if b[i+1] == 'u' {
			if v, ok := hex4(b, i+2); ok {
				next = i + 6
				switch {
				case v == 0:
					return at
				case v >= 0xDC00 && v <= 0xDFFF: // a low surrogate alone
					return at
				case v >= 0xD800 && v <= 0xDBFF: // a high one needs a low one next
					if lo, ok := hex4(b, i+8); !ok || b[i+6] != '\\' || b[i+7] != 'u' || lo < 0xDC00 || lo > 0xDFFF {
						return at
					}
					next = i + 12
				}
			}
		}
		j := bytes.IndexByte(b[min(next, len(b)):], '\\')
		if j < 0 {
			break
		}
		i = next + j
	}
	return -1
}

// hex4 decodes the four hex digits at b[i:i+4].
func hex4(b []byte, i int) (rune, bool) {
	if i < 0 || i+4 > len(b) {
		return 0, false
	}
	var v rune
	for _, c := range b[i : i+4] {
		h, ok := unhex(c)
		if !ok {
			return 0, false
		}
		v = v<<4 | rune(h)
	}
	return v, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
