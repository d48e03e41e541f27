// An API that trusts Gatehouse access tokens. Gatehouse issues RFC 9068 JWT
// access tokens (typ at+jwt, ES256) signed with keys it publishes at the
// issuer's jwks_uri: the API verifies them locally with jose, checks issuer,
// audience and expiry, then the scope each route needs. Errors follow RFC
// 6750 (WWW-Authenticate) with RFC 9457 problem bodies.
import express from "express";
import { createRemoteJWKSet, jwtVerify } from "jose";

/**
 * @param {object} options
 * @param {string} options.issuer    the Gatehouse issuer, e.g. http://localhost:8080 or .../t/acme
 * @param {string} options.audience  this API's identifier: the `audience` its clients' tokens name
 * @param {string[]} [options.allowedOrigins]  browser apps that may call it (CORS)
 */
export async function createApp({ issuer, audience, allowedOrigins = [] }) {
  const discovery = await fetch(`${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`);
  if (!discovery.ok) throw new Error(`discovery at ${issuer}: ${discovery.status}`);
  const meta = await discovery.json();
  if (meta.issuer !== issuer) throw new Error(`discovery names issuer ${meta.issuer}, not ${issuer}`);
  // Keys are fetched on first use and again when a token names an unknown kid (rotation).
  const jwks = createRemoteJWKSet(new URL(meta.jwks_uri));

  const app = express();
  app.disable("x-powered-by");
  app.use(cors(allowedOrigins));

  app.get("/healthz", (_req, res) => res.json({ status: "ok" }));

  const notes = new Map(); // user (sub) -> their notes; in memory, for the example
  app.get("/api/notes", requireScope(jwks, issuer, audience, "notes:read"), (req, res) => {
    res.json({ user: req.auth.sub, notes: notes.get(req.auth.sub) ?? [] });
  });
  app.post("/api/notes", requireScope(jwks, issuer, audience, "notes:write"), express.json({ limit: "10kb" }), (req, res) => {
    const text = typeof req.body?.text === "string" ? req.body.text.trim() : "";
    if (!text || text.length > 1000) {
      return problem(res, 400, "urn:example:problem:validation", "Invalid request", "text: 1 to 1000 characters");
    }
    const note = { id: crypto.randomUUID(), text, created_at: new Date().toISOString() };
    notes.set(req.auth.sub, [...(notes.get(req.auth.sub) ?? []), note]);
    res.status(201).json(note);
  });
  app.use((_req, res) => problem(res, 404, "urn:example:problem:not-found", "Not found", "No such route."));
  app.use((err, _req, res, _next) => {
    const status = err.status ?? err.statusCode ?? 500;
    problem(res, status, status < 500 ? "urn:example:problem:bad-request" : "urn:example:problem:internal",
      status < 500 ? "Bad request" : "Internal error", status < 500 ? err.message : "The request failed.");
  });
  return app;
}

// requireScope verifies the bearer token and wants scope among its scopes.
function requireScope(jwks, issuer, audience, scope) {
  return async (req, res, next) => {
    const [kind, token] = (req.get("Authorization") ?? "").split(" ");
    if (kind?.toLowerCase() !== "bearer" || !token) {
      res.set("WWW-Authenticate", 'Bearer realm="example-api"');
      return problem(res, 401, "urn:example:problem:unauthorized", "Unauthorized", "A bearer token is required.");
    }
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer,
        audience,
        typ: "at+jwt", // an access token, not an ID token
        algorithms: ["ES256"],
        requiredClaims: ["sub", "exp", "iat"],
      });
      req.auth = payload;
    } catch (err) {
      res.set("WWW-Authenticate", `Bearer realm="example-api", error="invalid_token", error_description="${err.code ?? "invalid"}"`);
      return problem(res, 401, "urn:example:problem:unauthorized", "Unauthorized", "The access token is invalid or expired.");
    }
    const granted = typeof req.auth.scope === "string" ? req.auth.scope.split(" ") : [];
    if (!granted.includes(scope)) {
      res.set("WWW-Authenticate", `Bearer realm="example-api", error="insufficient_scope", scope="${scope}"`);
      return problem(res, 403, "urn:example:problem:forbidden", "Forbidden", `This needs the scope ${scope}.`);
    }
    next();
  };
}

// cors lets the listed browser origins call the API with a bearer token
// (no cookies: credentials are not allowed).
function cors(allowedOrigins) {
  return (req, res, next) => {
    const origin = req.get("Origin");
    if (origin && allowedOrigins.includes(origin)) {
      res.set("Access-Control-Allow-Origin", origin);
      res.set("Vary", "Origin");
      if (req.method === "OPTIONS") {
        res.set("Access-Control-Allow-Methods", "GET, POST");
        res.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
        res.set("Access-Control-Max-Age", "600");
        return res.status(204).end();
      }
    }
    next();
  };
}

function problem(res, status, type, title, detail) {
  res.status(status).type("application/problem+json").json({ type, title, status, detail });
}
