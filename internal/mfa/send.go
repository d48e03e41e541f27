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

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
)

// sendEmailCode mails the email one-time code (kind mfa_code).
func (s *Service) sendEmailCode(ctx context.Context, tg Target, u *identity.User, to, code, lang string) error {
	if lang == "" {
		lang = userLang(u)
	}
	m, err := s.message(ctx, tg, to, mail.KindMFACode, lang, mail.Data{
		TenantName: tg.Tenant.DisplayName, UserName: u.Profile.GivenName, Code: code, ExpiresIn: challengeTTL,
	})
	if err != nil {
		return err
	}
	return s.Mail.Send(ctx, m)
}

// message renders kind for to with the tenant's template overrides
// (store.MailTemplate, set through the Admin API).
func (s *Service) message(ctx context.Context, tg Target, to string, kind mail.Kind, lang string, d mail.Data) (*mail.Message, error) {
	return s.Templates.TenantMessage(ctx, s.log(), tg.Store.MailTemplates(), tg.Tenant.ID, to, kind, lang, d)
}

// smsPhone is where an SMS code goes: the user's SMS factor, else their
// verified phone number. ErrNotAllowed when the tenant has SMS off.
func (s *Service) smsPhone(ctx context.Context, tg Target, u *identity.User) (string, error) {
	p := tg.Tenant.MFA
	if !p.AllowSMS || p.SMSWebhookURL == "" {
		return "", ErrNotAllowed
	}
	fs, err := listFactors(ctx, tg, u.ID)
	if err != nil {
		return "", err
	}
	for _, f := range fs {
		if f.Type != factor.SMS {
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
	return hex.EncodeToString(s.Keyring.MAC("mfa-sms-webhook", []byte(tenantID)))
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
func (s *Service) AddSMS(ctx context.Context, tg Target, u *identity.User, phone string) (*factor.Factor, error) {
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
	f := &factor.Factor{TenantID: tg.Tenant.ID, UserID: u.ID, Type: factor.SMS, Name: maskPhone(phone), Weak: true, CreatedAt: s.now(), Data: data}
	if _, err := tg.Store.MFA().DeleteFactors(ctx, tg.Tenant.ID, u.ID, factor.SMS); err != nil {
		return nil, err
	}
	if err := tg.Store.MFA().CreateFactor(ctx, f); err != nil {
		return nil, err
	}
	s.changed(ctx, tg, u, events.MFAAdded, "", map[string]any{"factor_id": f.ID, "factor_type": string(factor.SMS)})
	f.Data = nil
	return f, nil
}
