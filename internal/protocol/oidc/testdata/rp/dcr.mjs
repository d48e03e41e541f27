// Dynamic client registration (RFC 7591) and management (RFC 7592) with
// panva's oauth4webapi, a client written independently of Gatehouse:
// register with an initial access token, get a token with the new client
// (client credentials), read, update (the registration access token
// rotates; the old one is refused), delete, and check the client is gone.
// Usage: node dcr.mjs '{"issuer":"http://127.0.0.1:PORT","iat":"giat_..."}'
// Prints one JSON line with what it saw; exits non-zero on a failure.
import * as oauth from 'oauth4webapi'

const { issuer, iat } = JSON.parse(process.argv[2])
const insecure = { [oauth.allowInsecureRequests]: true }
const out = {}

const as = await oauth.processDiscoveryResponse(new URL(issuer), await oauth.discoveryRequest(new URL(issuer), { algorithm: 'oidc', ...insecure }))
out.registration_endpoint = as.registration_endpoint

// Register.
const client = await oauth.processDynamicClientRegistrationResponse(
  await oauth.dynamicClientRegistrationRequest(as, {
    client_name: 'oauth4webapi DCR client',
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid',
  }, { initialAccessToken: iat, ...insecure }))
out.client_id = client.client_id
out.registration_client_uri = client.registration_client_uri

// Use: client credentials with the issued secret.
const tokens = await oauth.processClientCredentialsResponse(as, client,
  await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(client.client_secret), {}, insecure))
out.access_token = Boolean(tokens.access_token)

async function manage (method, token, body) {
  const res = await fetch(client.registration_client_uri, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

// Read, update (rotating the registration token), read with the old one.
const read = await manage('GET', client.registration_access_token)
out.read_status = read.status
out.read_name = read.body.client_name
const upd = await manage('PUT', client.registration_access_token, {
  client_id: client.client_id, client_name: 'renamed by oauth4webapi',
  grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic', scope: 'openid',
})
out.update_status = upd.status
out.updated_name = upd.body.client_name
out.token_rotated = upd.body.registration_access_token !== client.registration_access_token
out.old_token_status = (await manage('GET', client.registration_access_token)).status

// The secret still works after the update.
const again = await oauth.processClientCredentialsResponse(as, client,
  await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(client.client_secret), {}, insecure))
out.access_token_after_update = Boolean(again.access_token)

// Delete, then the client is gone: the token endpoint refuses it.
out.delete_status = (await manage('DELETE', upd.body.registration_access_token)).status
const gone = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(client.client_secret), {}, insecure)
out.after_delete_status = gone.status
out.after_delete = (await gone.json()).error
console.log(JSON.stringify(out))
