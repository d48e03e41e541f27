// DPoP (RFC 9449) with panva's oauth4webapi, a client written
// independently of Gatehouse: client credentials with the nonce retry, the
// code flow with dpop_jkt and a DPoP-bound refresh, userinfo with a
// proof; a replayed proof and the bound token sent as Bearer are refused.
// Driven by dpop_node_test.go: argv[2] is a JSON config; it prints
// {"authorize": url} and reads the callback URL on stdin, then prints
// {"ok": true, ...} or {"error": "..."}.
import * as oauth from 'oauth4webapi'
import { createInterface } from 'node:readline'

const cfg = JSON.parse(process.argv[2])
const insecure = { [oauth.allowInsecureRequests]: true }
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n')
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()

function check(cond, msg) {
  if (!cond) throw new Error(msg)
}

// retry runs a request once more when the server asks for a DPoP nonce
// (the handle has kept the nonce from the DPoP-Nonce header).
async function retry(send, process) {
  try {
    return await process(await send())
  } catch (err) {
    if (oauth.isDPoPNonceError(err)) return process(await send())
    throw err
  }
}

async function jkt(publicKey) {
  const { crv, kty, x, y } = await crypto.subtle.exportKey('jwk', publicKey)
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify({ crv, kty, x, y })))
  return Buffer.from(digest).toString('base64url')
}

async function main() {
  const issuer = new URL(cfg.issuer)
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure))
  check(as.dpop_signing_alg_values_supported?.includes('ES256'), 'discovery lacks dpop_signing_alg_values_supported')
  const res = {}

  // Client credentials: the first proof has no nonce and is answered with
  // use_dpop_nonce; the retry carries the nonce.
  {
    const client = { client_id: cfg.service_id }
    const keys = await oauth.generateKeyPair('ES256')
    const DPoP = oauth.DPoP(client, keys)
    let nonceErrors = 0
    const result = await retry(
      () => oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(cfg.service_secret), new URLSearchParams(), { DPoP, ...insecure }),
      async (r) => {
        try {
          return await oauth.processClientCredentialsResponse(as, client, r)
        } catch (err) {
          if (oauth.isDPoPNonceError(err)) nonceErrors++
          throw err
        }
      },
    )
    check(nonceErrors === 1, `expected one use_dpop_nonce, got ${nonceErrors}`)
    check(result.token_type === 'dpop', `client credentials token_type ${result.token_type}`)
    res.client_credentials_token = result.access_token
    res.client_credentials_jkt = await jkt(keys.publicKey)
  }

  // The code flow of a public client, bound by dpop_jkt.
  const client = { client_id: cfg.public_id }
  const keys = await oauth.generateKeyPair('ES256')
  const DPoP = oauth.DPoP(client, keys)
  const verifier = oauth.generateRandomCodeVerifier()
  const state = oauth.generateRandomState()
  const u = new URL(as.authorization_endpoint)
  for (const [k, v] of Object.entries({
    client_id: client.client_id, redirect_uri: cfg.redirect_uri, response_type: 'code', scope: 'openid offline_access',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state,
    dpop_jkt: await jkt(keys.publicKey),
  })) u.searchParams.set(k, v)
  out({ authorize: u.href })
  const { value: callback } = await lines.next()
  const params = oauth.validateAuthResponse(as, client, new URL(callback.trim()), state)
  const tokens = await retry(
    () => oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, cfg.redirect_uri, verifier, { DPoP, ...insecure }),
    (r) => oauth.processAuthorizationCodeResponse(as, client, r, { expectedNonce: oauth.expectNoNonce, requireIdToken: true }),
  )
  check(tokens.token_type === 'dpop', `code flow token_type ${tokens.token_type}`)
  check(tokens.refresh_token, 'no refresh token')
  const sub = oauth.getValidatedIdTokenClaims(tokens).sub

  // Userinfo with a proof (ath); the proof is captured to replay it.
  let sent
  const capture = { [oauth.customFetch]: (url, init) => { sent = { url, init }; return fetch(url, init) } }
  const info = await oauth.processUserInfoResponse(as, client, sub,
    await oauth.userInfoRequest(as, client, tokens.access_token, { DPoP, ...insecure, ...capture }))
  check(info.sub === sub, 'userinfo sub')
  const headers = new Headers(sent.init.headers)
  check(headers.get('authorization')?.startsWith('DPoP '), 'userinfo did not use the DPoP scheme')
  const replay = await fetch(sent.url, { method: sent.init.method, headers })
  check(replay.status === 401 && replay.headers.get('www-authenticate')?.startsWith('DPoP '), `replayed proof: ${replay.status}`)
  const bearer = await fetch(sent.url, { headers: { authorization: 'Bearer ' + tokens.access_token } })
  check(bearer.status === 401 && /^DPoP /.test(bearer.headers.get('www-authenticate') ?? ''), `bound token as Bearer: ${bearer.status}`)

  // The refresh token is bound: the same key refreshes, another does not.
  const refreshed = await retry(
    () => oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token, { DPoP, ...insecure }),
    (r) => oauth.processRefreshTokenResponse(as, client, r),
  )
  check(refreshed.token_type === 'dpop', `refresh token_type ${refreshed.token_type}`)
  const other = oauth.DPoP(client, await oauth.generateKeyPair('ES256'))
  let refused = ''
  try {
    await retry(
      () => oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshed.refresh_token, { DPoP: other, ...insecure }),
      (r) => oauth.processRefreshTokenResponse(as, client, r),
    )
  } catch (err) {
    refused = err.error ?? String(err)
  }
  check(refused === 'invalid_grant', `refresh with another key: ${refused || 'accepted'}`)
  res.sub = sub
  res.access_token = refreshed.access_token
  res.jkt = await jkt(keys.publicKey)
  out({ ok: true, ...res })
}

main().then(() => process.exit(0), (err) => { out({ error: String(err?.stack ?? err) }); process.exit(1) })
