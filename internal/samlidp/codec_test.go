package samlidp_test

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/xml"
	"io"
	"testing"

	"github.com/crewjam/saml"
)

func decodeRedirect(t testing.TB, v string) *saml.AuthnRequest {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(flate.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var r saml.AuthnRequest
	if err := xml.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// deflate64 is the HTTP-Redirect encoding of an XML message.
func deflate64(b []byte) string {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
