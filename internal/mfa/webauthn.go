package mfa

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

const kindWebAuthnRegister = "webauthn_register"

// webauthnData is the stored form of a WebAuthn factor.
type webauthnData struct {
	Credential   webauthn.Credential `json:"credential"`
	Discoverable bool                `json:"discoverable,omitempty"`
}

// IsPasskey reports whether f is a passkey: a WebAuthn credential
// registered as discoverable, which signs its user in on its own
// (username-less), not only as a second factor.
func IsPasskey(f factor.Factor) bool {
	if f.Type != factor.WebAuthn {
		return false
	}
	var d struct {
		Discoverable bool `json:"discoverable"`
	}
	return json.Unmarshal(f.Data, &d) == nil && d.Discoverable
}

// registerSession is what a registration challenge keeps.
type registerSession struct {
	Session      webauthn.SessionData `json:"session"`
	Discoverable bool                 `json:"discoverable,omitempty"`
}

// waUser adapts a user and their WebAuthn factors to go-webauthn. The user
// handle is the user ID's bytes: stable, opaque and within the 64-byte
// limit, and it names the user for a username-less passkey login.
type waUser struct {
	u       *identity.User
	creds   []webauthn.Credential
	factors []factor.Factor // parallel to creds
}

func (w *waUser) WebAuthnID() []byte { return []byte(w.u.ID) }
func (w *waUser) WebAuthnName() string {
	if w.u.Email != "" {
		return w.u.Email
	}
	if w.u.Username != "" {
		return w.u.Username
	}
	return w.u.ID
}
func (w *waUser) WebAuthnDisplayName() string {
	if w.u.Profile.Name != "" {
		return w.u.Profile.Name
	}
	return w.WebAuthnName()
}
func (w *waUser) WebAuthnCredentials() []webauthn.Credential { return w.creds }

// factorFor returns the factor holding the credential with that ID.
func (w *waUser) factorFor(id []byte) (*factor.Factor, *webauthnData, error) {
	for i := range w.creds {
		if bytes.Equal(w.creds[i].ID, id) {
			var d webauthnData
			if err := json.Unmarshal(w.factors[i].Data, &d); err != nil {
				return nil, nil, err
			}
			return &w.factors[i], &d, nil
		}
	}
	return nil, nil, ErrInvalidCode
}

func (s *Service) loadWAUser(ctx context.Context, tg Target, u *identity.User) (*waUser, error) {
	fs, err := listFactors(ctx, tg, u.ID)
	if err != nil {
		return nil, err
	}
	w := &waUser{u: u}
	for _, f := range fs {
		if f.Type != factor.WebAuthn {
			continue
		}
		var d webauthnData
		if err := json.Unmarshal(f.Data, &d); err != nil {
			return nil, err
		}
		w.creds, w.factors = append(w.creds, d.Credential), append(w.factors, f)
	}
	return w, nil
}

// relyingParty builds the tenant's WebAuthn relying party from its policy,
// defaulting the ID to the issuer's host, the origin to the issuer's
// origin and the name to the tenant's display name.
func (s *Service) relyingParty(tg Target) (*webauthn.WebAuthn, error) {
	p := tg.Tenant.MFA.WebAuthn
	cfg := &webauthn.Config{RPID: p.RPID, RPOrigins: p.RPOrigins, RPDisplayName: p.RPName}
	if cfg.RPID == "" || len(cfg.RPOrigins) == 0 {
		iss, err := url.Parse(tg.Issuer)
		if err != nil || iss.Host == "" {
			return nil, fmt.Errorf("%w: no issuer to derive the WebAuthn relying party from", ErrNotAllowed)
		}
		if cfg.RPID == "" {
			cfg.RPID = iss.Hostname()
		}
		if len(cfg.RPOrigins) == 0 {
			cfg.RPOrigins = []string{iss.Scheme + "://" + iss.Host}
		}
	}
	if cfg.RPDisplayName == "" {
		cfg.RPDisplayName = tg.Tenant.DisplayName
	}
	if cfg.RPDisplayName == "" {
		cfg.RPDisplayName = "Gatehouse"
	}
	rp, err := webauthn.New(cfg)
	if err != nil {
		// E.g. an issuer on an IP address: WebAuthn needs a domain, so the
		// tenant must set mfa.webauthn.rp_id.
		return nil, fmt.Errorf("%w: the WebAuthn relying party is not usable (set the tenant's rp_id and rp_origins): %v", ErrNotAllowed, err)
	}
	return rp, nil
}

// PasskeysUsable reports whether passkeys can work on the tenant's pages
// at all: the tenant's policy is not off, its relying party can be built,
// and the pages' host (the issuer's) can use the relying-party ID, which
// must be a domain it is or belongs to. An issuer on an IP address never
// can, whatever rp_id says: browsers refuse WebAuthn there.
func (s *Service) PasskeysUsable(tg Target) bool {
	if tg.Tenant.MFA.Mode == factor.ModeOff {
		return false
	}
	iss, err := url.Parse(tg.Issuer)
	if err != nil {
		return false
	}
	host := iss.Hostname()
	if host == "" || net.ParseIP(host) != nil {
		return false
	}
	rp, err := s.relyingParty(tg)
	if err != nil {
		return false
	}
	id := rp.Config.RPID
	return strings.EqualFold(host, id) || strings.HasSuffix(strings.ToLower(host), "."+strings.ToLower(id))
}

func userVerification(p identity.MFAWebAuthn) protocol.UserVerificationRequirement {
	switch p.UserVerification {
	case "required":
		return protocol.VerificationRequired
	case "discouraged":
		return protocol.VerificationDiscouraged
	}
	return protocol.VerificationPreferred
}

// BeginWebAuthnRegistration starts registering an authenticator for u and
// returns the challenge ID and the navigator.credentials.create options
// (JSON). discoverable asks for a passkey (resident credential) usable for
// username-less sign-in. The user's existing credentials are excluded.
func (s *Service) BeginWebAuthnRegistration(ctx context.Context, tg Target, u *identity.User, discoverable bool) (string, []byte, error) {
	rp, err := s.relyingParty(tg)
	if err != nil {
		return "", nil, err
	}
	w, err := s.loadWAUser(ctx, tg, u)
	if err != nil {
		return "", nil, err
	}
	p := tg.Tenant.MFA.WebAuthn
	sel := protocol.AuthenticatorSelection{UserVerification: userVerification(p), ResidentKey: protocol.ResidentKeyRequirementDiscouraged}
	if discoverable {
		sel.ResidentKey, sel.RequireResidentKey = protocol.ResidentKeyRequirementRequired, protocol.ResidentKeyRequired()
	}
	conveyance := protocol.PreferNoAttestation
	if p.RequireAttestation {
		conveyance = protocol.PreferDirectAttestation
	}
	excl := make([]protocol.CredentialDescriptor, len(w.creds))
	for i, c := range w.creds {
		excl[i] = c.Descriptor()
	}
	creation, session, err := rp.BeginRegistration(w, webauthn.WithAuthenticatorSelection(sel),
		webauthn.WithConveyancePreference(conveyance), webauthn.WithExclusions(excl))
	if err != nil {
		return "", nil, err
	}
	data, err := json.Marshal(registerSession{Session: *session, Discoverable: discoverable})
	if err != nil {
		return "", nil, err
	}
	opts, err := json.Marshal(creation)
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	c := &store.MFAChallenge{TenantID: tg.Tenant.ID, UserID: u.ID, Kind: kindWebAuthnRegister, Data: data,
		CreatedAt: now, ExpiresAt: now.Add(enrolTTL)}
	if err := tg.Store.MFA().CreateChallenge(ctx, c); err != nil {
		return "", nil, err
	}
	return c.ID, opts, nil
}

// FinishWebAuthnRegistration verifies the browser's attestation response
// (body, PublicKeyCredential JSON) and stores the authenticator as a
// factor named name. A malformed or failing response is ErrInvalid and
// counts an attempt.
func (s *Service) FinishWebAuthnRegistration(ctx context.Context, tg Target, u *identity.User, challengeID, name string, body []byte) (*factor.Factor, error) {
	name, err := cleanName(name, "Security key")
	if err != nil {
		return nil, err
	}
	rp, err := s.relyingParty(tg)
	if err != nil {
		return nil, err
	}
	w, err := s.loadWAUser(ctx, tg, u)
	if err != nil {
		return nil, err
	}
	var cred *webauthn.Credential
	var rs registerSession
	_, err = s.answer(ctx, tg, challengeID, u.ID, []string{kindWebAuthnRegister}, func(c *store.MFAChallenge) error {
		if err := json.Unmarshal(c.Data, &rs); err != nil {
			return err
		}
		parsed, err := protocol.ParseCredentialCreationResponseBytes(body)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrInvalid, protocolDetail(err))
		}
		if cred, err = rp.CreateCredential(w, rs.Session, parsed); err != nil {
			return fmt.Errorf("%w: %s", ErrInvalid, protocolDetail(err))
		}
		if tg.Tenant.MFA.WebAuthn.RequireAttestation && (cred.AttestationFormat == "" || cred.AttestationFormat == "none") {
			return fmt.Errorf("%w: the tenant requires an attestation statement", ErrInvalid)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(webauthnData{Credential: *cred, Discoverable: rs.Discoverable})
	if err != nil {
		return nil, err
	}
	now := s.now()
	f := &factor.Factor{TenantID: tg.Tenant.ID, UserID: u.ID, Type: factor.WebAuthn, Name: name, CreatedAt: now, Data: data}
	if err := tg.Store.MFA().CreateFactor(ctx, f); err != nil {
		return nil, err
	}
	s.changed(ctx, tg, u, events.MFAAdded, "", map[string]any{"factor_id": f.ID, "factor_type": string(factor.WebAuthn)})
	f.Data = nil
	return f, nil
}

// protocolDetail is the client-safe description of a go-webauthn error.
func protocolDetail(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) && pe.Details != "" {
		return pe.Details
	}
	return "the WebAuthn response could not be verified"
}

// beginWebAuthnLogin returns the navigator.credentials.get options for u's
// credentials and the session to keep; ErrNotAllowed if u has none.
func (s *Service) beginWebAuthnLogin(ctx context.Context, tg Target, u *identity.User) (opts, session []byte, err error) {
	rp, err := s.relyingParty(tg)
	if err != nil {
		return nil, nil, err
	}
	w, err := s.loadWAUser(ctx, tg, u)
	if err != nil {
		return nil, nil, err
	}
	if len(w.creds) == 0 {
		return nil, nil, ErrNotAllowed
	}
	assertion, sd, err := rp.BeginLogin(w, webauthn.WithUserVerification(userVerification(tg.Tenant.MFA.WebAuthn)))
	if err != nil {
		return nil, nil, err
	}
	return marshalPair(assertion, sd)
}

func marshalPair(a, b any) ([]byte, []byte, error) {
	x, err := json.Marshal(a)
	if err != nil {
		return nil, nil, err
	}
	y, err := json.Marshal(b)
	return x, y, err
}

// BeginPasskeyLogin starts a username-less sign-in with a discoverable
// credential (conditional UI / autofill): the challenge has no user until
// the assertion names one through its user handle.
func (s *Service) BeginPasskeyLogin(ctx context.Context, tg Target) (*Challenge, error) {
	if tg.Tenant.MFA.Mode == factor.ModeOff {
		return nil, ErrNotAllowed
	}
	rp, err := s.relyingParty(tg)
	if err != nil {
		return nil, err
	}
	assertion, sd, err := rp.BeginDiscoverableLogin(webauthn.WithUserVerification(userVerification(tg.Tenant.MFA.WebAuthn)))
	if err != nil {
		return nil, err
	}
	opts, session, err := marshalPair(assertion, sd)
	if err != nil {
		return nil, err
	}
	now := s.now()
	c := &store.MFAChallenge{TenantID: tg.Tenant.ID, Kind: string(factor.WebAuthn), Data: session, CreatedAt: now, ExpiresAt: now.Add(challengeTTL)}
	if err := tg.Store.MFA().CreateChallenge(ctx, c); err != nil {
		return nil, err
	}
	return &Challenge{ID: c.ID, Kind: factor.WebAuthn, ExpiresAt: c.ExpiresAt, WebAuthnOptions: opts}, nil
}

// finishWebAuthnLogin verifies an assertion for challenge c (for its user,
// or for the user its user handle names when c has none), refuses a sign
// count that did not grow (a cloned authenticator), and records the new
// count and the last-used time.
func (s *Service) finishWebAuthnLogin(ctx context.Context, tg Target, c *store.MFAChallenge, body []byte) (*Result, error) {
	rp, err := s.relyingParty(tg)
	if err != nil {
		return nil, err
	}
	var sd webauthn.SessionData
	if err := json.Unmarshal(c.Data, &sd); err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrInvalidCode, protocolDetail(err))
	}
	var w *waUser
	var cred *webauthn.Credential
	if c.UserID != "" {
		u, err := tg.Store.Users().Get(ctx, tg.Tenant.ID, c.UserID)
		if err != nil {
			return nil, err
		}
		if w, err = s.loadWAUser(ctx, tg, u); err != nil {
			return nil, err
		}
		cred, err = rp.ValidateLogin(w, sd, parsed)
		if err != nil {
			return nil, fmt.Errorf("%w: %s", ErrInvalidCode, protocolDetail(err))
		}
	} else {
		_, cred, err = rp.ValidatePasskeyLogin(func(_, handle []byte) (webauthn.User, error) {
			u, err := tg.Store.Users().Get(ctx, tg.Tenant.ID, string(handle))
			if err != nil {
				return nil, err
			}
			if w, err = s.loadWAUser(ctx, tg, u); err != nil {
				return nil, err
			}
			return w, nil
		}, sd, parsed)
		if err != nil {
			return nil, fmt.Errorf("%w: %s", ErrInvalidCode, protocolDetail(err))
		}
	}
	if cred.Authenticator.CloneWarning {
		return nil, fmt.Errorf("%w: the authenticator's signature counter went backwards", ErrInvalidCode)
	}
	f, _, err := w.factorFor(cred.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	up, err := tg.Store.MFA().UpdateFactor(ctx, tg.Tenant.ID, w.u.ID, f.ID, func(f *factor.Factor) error {
		var d webauthnData
		if err := json.Unmarshal(f.Data, &d); err != nil {
			return err
		}
		// Checked again under the row lock: a concurrent sign-in may have
		// stored a higher count since the credential was loaded.
		if n := cred.Authenticator.SignCount; (n != 0 || d.Credential.Authenticator.SignCount != 0) && n <= d.Credential.Authenticator.SignCount {
			return fmt.Errorf("%w: the authenticator's signature counter went backwards", ErrInvalidCode)
		}
		d.Credential.Authenticator.SignCount, d.Credential.Flags = cred.Authenticator.SignCount, cred.Flags
		var err error
		if f.Data, err = json.Marshal(d); err != nil {
			return err
		}
		f.LastUsedAt = &now
		return nil
	})
	if err != nil {
		return nil, err
	}
	up.Data = nil
	uv := parsed.Response.AuthenticatorData.Flags.HasUserVerified()
	platform := cred.Authenticator.Attachment == protocol.Platform
	return &Result{UserID: w.u.ID, Factor: up, AMR: factor.AMRFor(factor.WebAuthn, uv, platform)}, nil
}
