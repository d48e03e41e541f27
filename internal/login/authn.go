package login

// Sign-ins are decided by internal/authn (credentials, the risk engine,
// the steps a session owes); this file turns a request into an
// authn.Request and authn's answers back into the request: its verdict
// rides in the request's context so every event of the request records
// it (record).
