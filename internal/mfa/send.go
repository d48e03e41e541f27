package mfa

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	dmfa "github.com/gatehouse-iam/gatehouse/internal/domain/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
)

// The email one-time code. internal/mail has no kind for it, so the text
// lives here (like the onboarding notice).
var emailCodeText = map[string]struct{ subject, body string }{
	"en": {
		subject: "Your %s sign-in code",
		body: `Hello,

your code to finish signing in to %s is:

    %s

It is valid for 5 minutes. If you did not try to sign in, someone may know your password: change it now.
`,
	},
	"de": {
		subject: "Ihr Anmeldecode für %s",
		body: `Hallo,

Ihr Code, um die Anmeldung bei %s abzuschließen, lautet:

    %s

Er ist 5 Minuten gültig. Wenn Sie sich nicht anmelden wollten, kennt womöglich jemand Ihr Passwort: Ändern Sie es jetzt.
`,
	},
}

func (s *Service) sendEmailCode(ctx context.Context, tg Target, u *identity.User, to, code, lang string) error {
	if lang == "" {
		lang = userLang(u)
	}
	t, ok := emailCodeText[lang]
	if !ok {
		t = emailCodeText["en"]
	}
	name := tg.Tenant.DisplayName
	if name == "" {
		name = "Gatehouse"
	}
	return s.Mail.Send(ctx, &mail.Message{To: to, Subject: fmt.Sprintf(t.subject, name), Text: fmt.Sprintf(t.body, name, code)})
}

// smsPhone is where an SMS code goes: the user's SMS factor, else their
// verified phone number. ErrNotAllowed when the tenant has SMS off.
func (s *Service) smsPhone(ctx context.Context, tg Target, u *identity.User) (string, error) {
	p := tg.Tenant.MFA
	if !p.AllowSMS || p.SMSWebhookURL == "" {
		return "", ErrNotAllowed
	}
	fs, err := tg.Store.MFA().ListFactors(ctx, tg.Tenant.ID, u.ID)
	if err != nil {
		return "", err
	}
	for _, f := range fs {
		if f.Type != dmfa.SMS {
			continue
		}
		var d smsData
		if err := json.Unmarshal(f.Data, &d); err == nil && d.Phone != "" {
			return d.Phone, nil
		}
	}
	if u.Phone != "" && u.PhoneVerified {
		return u.Phone, nil
	}
	return "", ErrNotAllowed
}

// smsData is the stored form of an SMS factor.
type smsData struct {
	Phone string `json:"phone"`
}

// SMS webhook headers. The signature is hex HMAC-SHA256 over
// "<timestamp>.<body>" with the tenant's webhook secret
// (Service.SMSWebhookSecret), so the receiver can check origin and age.
const (
	HeaderSMSSignature = "X-Gatehouse-Signature"
	HeaderSMSTimestamp = "X-Gatehouse-Timestamp"
)

// SMSWebhookSecret is the key the tenant's SMS webhook checks signatures
// with. It is derived from the master key, so nothing extra is stored.
func (s *Service) SMSWebhookSecret(tenantID string) string {
	return hex.EncodeToString(s.Keys.MAC("mfa-sms-webhook", []byte(tenantID)))
}

// SignSMS returns the signature header value for body sent at ts.
func SignSMS(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "%d.", ts)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// sendSMS posts {to, code, tenant} to the tenant's webhook; any answer
// but 2xx is an error.
func (s *Service) sendSMS(ctx context.Context, tg Target, to, code string) error {
	body, err := json.Marshal(map[string]string{"to": to, "code": code, "tenant": tg.Tenant.Slug})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tg.Tenant.MFA.SMSWebhookURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	ts := s.now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderSMSTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSMSSignature, SignSMS(s.SMSWebhookSecret(tg.Tenant.ID), ts, body))
	hc := s.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("mfa: SMS webhook: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("mfa: SMS webhook answered %s", resp.Status)
	}
	return nil
}

// AddSMS stores phone (E.164, verified by the caller) as the user's SMS
// factor, replacing a previous one. SMS is a weak factor.
func (s *Service) AddSMS(ctx context.Context, tg Target, u *identity.User, phone string) (*dmfa.Factor, error) {
	if !tg.Tenant.MFA.AllowSMS {
		return nil, ErrNotAllowed
	}
	if err := identity.ValidatePhone(phone); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	data, err := json.Marshal(smsData{Phone: phone})
	if err != nil {
		return nil, err
	}
	f := &dmfa.Factor{TenantID: tg.Tenant.ID, UserID: u.ID, Type: dmfa.SMS, Name: maskPhone(phone), Weak: true, CreatedAt: s.now(), Data: data}
	if _, err := tg.Store.MFA().DeleteFactors(ctx, tg.Tenant.ID, u.ID, dmfa.SMS); err != nil {
		return nil, err
	}
	if err := tg.Store.MFA().CreateFactor(ctx, f); err != nil {
		return nil, err
	}
	s.changed(ctx, tg, u, events.MFAAdded, "", map[string]any{"factor_id": f.ID, "factor_type": string(dmfa.SMS)})
	f.Data = nil
	return f, nil
}
