package mail_test

import (
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

func TestTenantOverrides(t *testing.T) {
	if o := mail.TenantOverrides(nil); o != nil {
		t.Errorf("no templates: %v, want nil", o)
	}
	o := mail.TenantOverrides([]store.MailTemplate{{Kind: "mfa_code", Lang: "de", Subject: "S", Text: "T", HTML: "H"}})
	if len(o) != 1 || o["mfa_code.de"] != (mail.Template{Subject: "S", Text: "T", HTML: "H"}) {
		t.Errorf("overrides %v", o)
	}
}
