package httpx

import (
	"bytes"
	"net/http"
)

// Held keeps a response (headers, status, body) until Flush writes it,
// so a handler's answer can still be inspected, or dropped for another
// one, before anything reaches the client.
type Held struct {
	header http.Header
	status int
	body   bytes.Buffer
}

// NewHeld returns an empty held response.
func NewHeld() *Held { return &Held{header: http.Header{}} }

func (h *Held) Header() http.Header { return h.header }

func (h *Held) WriteHeader(code int) {
	if h.status == 0 {
		h.status = code
	}
}

func (h *Held) Write(b []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	return h.body.Write(b)
}

// Status is the status written so far (200 once a body was written, 0
// before anything).
func (h *Held) Status() int { return h.status }

// Body is the body written so far.
func (h *Held) Body() []byte { return h.body.Bytes() }

// Flush writes the held response to w.
func (h *Held) Flush(w http.ResponseWriter) {
	for k, v := range h.header {
		w.Header()[k] = v
	}
	if h.status == 0 {
		h.status = http.StatusOK
	}
	w.WriteHeader(h.status)
	_, _ = w.Write(h.body.Bytes())
}
