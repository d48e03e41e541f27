// A FAPI-like code flow with oauth4webapi against Gatehouse: a signed
// request object (JAR, RFC 9101) pushed (PAR, RFC 9126) with
// private_key_jwt client authentication and PKCE S256; then a tampered
// and an expired request object, and a fapi2 client's plain /authorize,
// each refused. Driven by TestNodeJAR (jar_node_test.go): argv[2] is the
// configuration (JSON); the script prints one JSON line with the
// authorization URL, reads the callback URL on stdin, and prints one
// JSON line with the results.
import * as oauth from 'oauth4webapi'
import { createInterface } from 'node:readline'

const cfg = JSON.parse(process.argv[2])
const insecure = { [oauth.allowInsecureRequests]: true } // loopback http issuer
const issuer = new URL(cfg.issuer)
const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }))
const client = { client_id: cfg.client_id }
const key = await crypto.subtle.importKey('jwk', cfg.jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])
const privateKey = { key, kid: cfg.kid }
const clientAuth = oauth.PrivateKeyJwt(privateKey)

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n')

const verifier = oauth.generateRandomCodeVerifier()
const state = oauth.generateRandomState()
const nonce = oauth.generateRandomNonce()
const params = {
  response_type: 'code', redirect_uri: cfg.redirect_uri, scope: 'openid profile', state, nonce,
  code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
}
const request = await oauth.issueRequestObject(as, client, params, privateKey)
const par = await oauth.processPushedAuthorizationResponse(as, client,
  await oauth.pushedAuthorizationRequest(as, client, clientAuth, { request }, insecure))
const authorize = new URL(as.authorization_endpoint)
authorize.searchParams.set('client_id', client.client_id)
authorize.searchParams.set('request_uri', par.request_uri)
out({ authorize: authorize.href })

const callback = new URL((await lines.next()).value)
const cb = oauth.validateAuthResponse(as, client, callback, state) // checks iss (RFC 9207) too
const tokens = await oauth.processAuthorizationCodeResponse(as, client,
  await oauth.authorizationCodeGrantRequest(as, client, clientAuth, cb, cfg.redirect_uri, verifier, insecure),
  { expectedNonce: nonce, requireIdToken: true })
const result = { token_type: tokens.token_type, has_access_token: !!tokens.access_token, sub: oauth.getValidatedIdTokenClaims(tokens)?.sub }

// Refusals: each answer's error code, or "accepted".
async function pushed (requestObject) {
  try {
    await oauth.processPushedAuthorizationResponse(as, client,
      await oauth.pushedAuthorizationRequest(as, client, clientAuth, { request: requestObject }, insecure))
    return 'accepted'
  } catch (e) {
    return e.error ?? String(e)
  }
}
const good = await oauth.issueRequestObject(as, client, { ...params, state: 'again' }, privateKey)
const [h, p, s] = good.split('.')
const sig = Buffer.from(s, 'base64url')
sig[3] ^= 1
result.tampered = await pushed([h, p, sig.toString('base64url')].join('.'))
result.expired = await pushed(await oauth.issueRequestObject(as, client, params, privateKey, {
  [oauth.modifyAssertion]: (header, payload) => { payload.exp = payload.iat - 30; payload.nbf = payload.iat - 90 },
}))
result.replayed = await pushed(request)

// A fapi2 client's authorization request without PAR.
const plain = new URL(as.authorization_endpoint)
for (const [k, v] of Object.entries({ ...params, client_id: cfg.fapi_client_id })) plain.searchParams.set(k, v)
const refused = await fetch(plain, { redirect: 'manual' })
result.fapi_without_par = { status: refused.status, error: (await refused.json().catch(() => ({}))).error }
out(result)
process.exit(0)
