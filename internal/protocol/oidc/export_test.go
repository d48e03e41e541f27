package oidc

// UnreachableMsg is logged when the engine reaches a refused storage
// method (storage.go).
const UnreachableMsg = unreachableMsg
