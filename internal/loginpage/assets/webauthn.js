// Passkeys on the hosted login: passwordless sign-in (with conditional UI
// on the identifier field), a passkey as the second factor, and enrolling
// one at sign-in. The pages work without it for passwords and codes; the
// element #webauthn, hidden until this script runs, carries the JSON API
// base, the CSRF token and the authorization request.
(function () {
  'use strict';
  var root = document.getElementById('webauthn');
  if (!root || !window.PublicKeyCredential || !navigator.credentials) {
    return;
  }
  var api = root.getAttribute('data-api');
  var csrf = root.getAttribute('data-csrf');
  var authRequest = root.getAttribute('data-auth-request');
  var mode = root.getAttribute('data-mode');
  var errorBox = document.getElementById('webauthn-error');

  function fromB64u(s) {
    s = s.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) { s += '='; }
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out.buffer;
  }

  function toB64u(buf) {
    var bytes = new Uint8Array(buf), bin = '';
    for (var i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function post(path, body) {
    body.auth_request_id = authRequest;
    return fetch(api + path, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) { throw new Error(j.detail || j.title || ('HTTP ' + r.status)); }
        return j;
      });
    });
  }

  function ids(list) {
    (list || []).forEach(function (c) { c.id = fromB64u(c.id); });
  }

  // The server sends the options as go-webauthn writes them:
  // {publicKey: {...}} with base64url for the binary members.
  function requestOptions(o) {
    var pk = o.publicKey || o;
    pk.challenge = fromB64u(pk.challenge);
    ids(pk.allowCredentials);
    return pk;
  }

  function creationOptions(o) {
    var pk = o.publicKey || o;
    pk.challenge = fromB64u(pk.challenge);
    pk.user.id = fromB64u(pk.user.id);
    ids(pk.excludeCredentials);
    return pk;
  }

  function credentialJSON(c) {
    var r = c.response, out = {
      id: c.id, rawId: toB64u(c.rawId), type: c.type,
      clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {},
      response: { clientDataJSON: toB64u(r.clientDataJSON) }
    };
    if (c.authenticatorAttachment) { out.authenticatorAttachment = c.authenticatorAttachment; }
    if (r.attestationObject) {
      out.response.attestationObject = toB64u(r.attestationObject);
      if (r.getTransports) { out.response.transports = r.getTransports(); }
    } else {
      out.response.authenticatorData = toB64u(r.authenticatorData);
      out.response.signature = toB64u(r.signature);
      if (r.userHandle) { out.response.userHandle = toB64u(r.userHandle); }
    }
    return out;
  }

  function fail(err) {
    if (err && err.name === 'AbortError') { return; }
    if (errorBox) {
      errorBox.textContent = root.getAttribute('data-error');
      errorBox.hidden = false;
    }
    root.setAttribute('data-failed', err && err.message ? err.message : String(err));
  }

  // quiet records the failure of a request the user did not make (the
  // conditional request on page load): no error is shown for it.
  function quiet(err) {
    if (err && err.name === 'AbortError') { return; }
    root.setAttribute('data-conditional-failed', err && err.message ? err.message : String(err));
  }

  function go(next) { window.location.assign(next.redirect); }

  // get runs one assertion: begin, navigator.credentials.get, finish.
  function get(prefix, extra, mediation, signal) {
    return post(prefix + '/begin', {}).then(function (begin) {
      var opts = { publicKey: requestOptions(begin.options) };
      if (mediation) { opts.mediation = mediation; }
      if (signal) { opts.signal = signal; }
      return navigator.credentials.get(opts).then(function (cred) {
        var body = extra();
        body.challenge_id = begin.challenge_id;
        body.credential = credentialJSON(cred);
        return post(prefix + '/finish', body);
      });
    }).then(go);
  }

  function none() { return {}; }

  function remembered() {
    var box = document.getElementById('remember');
    return { remember: !!(box && box.checked) };
  }

  root.hidden = false;

  if (mode === 'signin') {
    var conditional = null;
    var button = document.getElementById('passkey-signin');
    button.addEventListener('click', function () {
      if (conditional) { conditional.abort(); }
      get('/passkey', none).catch(fail);
    });
    if (window.AbortController && PublicKeyCredential.isConditionalMediationAvailable) {
      PublicKeyCredential.isConditionalMediationAvailable().then(function (ok) {
        if (!ok) { return; }
        conditional = new AbortController();
        get('/passkey', none, 'conditional', conditional.signal).catch(quiet);
      });
    }
  } else if (mode === 'mfa') {
    var use = document.getElementById('passkey-mfa');
    use.addEventListener('click', function () { get('/webauthn', remembered).catch(fail); });
    if (root.getAttribute('data-auto') === '1') { use.click(); }
  } else if (mode === 'enrol') {
    document.getElementById('passkey-enrol').addEventListener('click', function () {
      post('/register/begin', {}).then(function (begin) {
        return navigator.credentials.create({ publicKey: creationOptions(begin.options) }).then(function (cred) {
          return post('/register/finish', { challenge_id: begin.challenge_id, credential: credentialJSON(cred) });
        });
      }).then(go).catch(fail);
    });
  }
})();
