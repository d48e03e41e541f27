// Code generated from api/openapi.yaml by sdk/typescript/scripts/generate.mjs. DO NOT EDIT.

/** Resources under /admin/v1/ whose operations also exist under /admin/v1/tenants/{tenant}/. */
export const tenantScoped: readonly string[] = ["analytics","api-keys","apis","clients","connections","initial-access-tokens","invitations","organizations","privacy","risk-policy","roles","saml-certificates","saml-service-providers","signing-keys","users"];
