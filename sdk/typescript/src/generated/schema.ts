// Code generated from api/openapi.yaml by sdk/typescript/scripts/generate.mjs. DO NOT EDIT.

export interface paths {
    "/admin/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List tenants
         * @description Tenants ordered by creation time. A key of another tenant than `default` sees only its own tenant.
         */
        get: operations["listTenants"];
        put?: never;
        /**
         * Create a tenant
         * @description Creates an empty tenant. Only keys of the `default` tenant (or the bootstrap admin token) may create tenants.
         */
        post: operations["createTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * Get a tenant
         * @description Returns the tenant with this slug.
         */
        get: operations["getTenant"];
        put?: never;
        post?: never;
        /**
         * Delete a tenant
         * @description Deletes the tenant and everything it owns: users, credentials, clients and API keys. The `default` tenant cannot be deleted (409).
         */
        delete: operations["deleteTenant"];
        options?: never;
        head?: never;
        /**
         * Update a tenant
         * @description Applies a JSON merge patch (RFC 7396). The slug cannot be changed.
         */
        patch: operations["updateTenant"];
        trace?: never;
    };
    "/admin/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List users
         * @description Users ordered by creation time. Filters combine with AND.
         *
         *     Acts on the `default` tenant; `listTenantUsers` does the same for any tenant.
         */
        get: operations["listUsers"];
        put?: never;
        /**
         * Create a user
         * @description Acts on the `default` tenant; `createTenantUser` does the same for any tenant.
         */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a user
         * @description Acts on the `default` tenant; `getTenantUser` does the same for any tenant.
         */
        get: operations["getUser"];
        put?: never;
        post?: never;
        /**
         * Delete a user
         * @description Deletes the user with their credentials and sessions.
         *
         *     Acts on the `default` tenant; `deleteTenantUser` does the same for any tenant.
         */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        /**
         * Update a user
         * @description Applies a JSON merge patch (RFC 7396).
         *
         *     Acts on the `default` tenant; `updateTenantUser` does the same for any tenant.
         */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/admin/v1/users/{user_id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable a user
         * @description Sets `disabled`: the user cannot sign in and their sessions and refresh tokens stop working. Idempotent.
         *
         *     Acts on the `default` tenant; `disableTenantUser` does the same for any tenant.
         */
        post: operations["disableUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/move": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move a user to another region
         * @description Moves the user's personal data to another data-residency region (`GATEHOUSE_REGIONS`): their profile,
         *     password, second factors, OAuth consents, privacy decisions and ledger, risk history and the key that seals
         *     audit events about them are copied to the new region's database, read back and compared, then deleted from
         *     the old one, and the directory points to the new region — all or nothing. The user is signed out
         *     everywhere first (sessions, refresh tokens and access tokens are revoked): tokens name the region they
         *     were issued in. Pending verification codes, MFA challenges, remembered devices and data exports are not
         *     carried. Recorded as a `user.moved` audit event. A region that is not configured, or a server without
         *     regions, is a validation problem on `/region`; a move to the user's own region is a conflict.
         *
         *     Acts on the `default` tenant; `moveTenantUser` does the same for any tenant.
         */
        post: operations["moveUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enable a user
         * @description Clears `disabled` and any temporary lock (`locked_until`). Idempotent.
         *
         *     Acts on the `default` tenant; `enableTenantUser` does the same for any tenant.
         */
        post: operations["enableUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/password": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Set a user's password
         * @description Creates or replaces the user's password. A password that fails the policy is a 400 `validation` problem pointing at `/password`.
         *
         *     Acts on the `default` tenant; `setTenantUserPassword` does the same for any tenant.
         */
        put: operations["setUserPassword"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/mfa/factors": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a user's MFA factors
         * @description The user's enrolled second factors (passkeys and security keys, authenticator apps, the recovery code set, SMS
         *     numbers), oldest first, without any secret. Email one-time codes are implicit and not listed.
         *
         *     Acts on the `default` tenant; `listTenantUserMFAFactors` does the same for any tenant.
         */
        get: operations["listUserMFAFactors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/mfa/factors/{factor_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description MFA factor ID. */
                factor_id: components["parameters"]["FactorIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a user's MFA factor
         * @description Removes one factor. The user is told by email, and an `mfa.removed` event names the API key as actor.
         *
         *     Acts on the `default` tenant; `deleteTenantUserMFAFactor` does the same for any tenant.
         */
        delete: operations["deleteUserMFAFactor"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/mfa/reset": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset a user's MFA
         * @description Removes all of the user's factors and remembered devices, e.g. after a lost phone: the user signs in with the
         *     password alone and enrols again (within the tenant's grace period when MFA is required). The user is told by
         *     email, and an `mfa.reset` audit event names the API key as actor. Idempotent.
         *
         *     Acts on the `default` tenant; `resetTenantUserMFA` does the same for any tenant.
         */
        post: operations["resetUserMFA"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List pending invitations
         * @description Lists the invitations that can still be accepted: neither accepted, revoked nor expired. A page may hold
         *     fewer than `limit` items while `next_cursor` is set; follow it until it is null.
         *
         *     Acts on the `default` tenant; `listTenantInvitations` does the same for any tenant.
         */
        get: operations["listInvitations"];
        put?: never;
        /**
         * Invite a user by email
         * @description Mails the address a link to `{issuer}/invite?token=…`, where its owner sets a password; accepting it also
         *     verifies the address. A new address gets a user (email unverified, no password); an existing user without
         *     a password gets a new invitation, and its older ones stop working. A user who already has a password is a
         *     409 `conflict` problem. The link works for `expires_in` seconds (default 7 days, at most 30 days).
         *
         *     Acts on the `default` tenant; `createTenantInvitation` does the same for any tenant.
         */
        post: operations["createInvitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/invitations/{invitation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Invitation ID. */
                invitation_id: components["parameters"]["InvitationIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an invitation
         * @description The invitation's link stops working at once. The invited user is kept. Idempotent for an invitation that
         *     is already accepted, revoked or expired.
         *
         *     Acts on the `default` tenant; `revokeTenantInvitation` does the same for any tenant.
         */
        delete: operations["revokeInvitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/clients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List clients
         * @description Acts on the `default` tenant; `listTenantClients` does the same for any tenant.
         */
        get: operations["listClients"];
        put?: never;
        /**
         * Create a client
         * @description Registers an OAuth 2.0 / OpenID Connect client. Confidential clients get a `client_secret`, returned only in this response.
         *
         *     Acts on the `default` tenant; `createTenantClient` does the same for any tenant.
         */
        post: operations["createClient"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/clients/{client_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a client
         * @description Acts on the `default` tenant; `getTenantClient` does the same for any tenant.
         */
        get: operations["getClient"];
        put?: never;
        post?: never;
        /**
         * Delete a client
         * @description Deletes the client; its tokens stop working.
         *
         *     Acts on the `default` tenant; `deleteTenantClient` does the same for any tenant.
         */
        delete: operations["deleteClient"];
        options?: never;
        head?: never;
        /**
         * Update a client
         * @description Applies a JSON merge patch (RFC 7396). Changing `token_endpoint_auth_method` does not issue or remove a secret; use `rotateClientSecret`.
         *
         *     Acts on the `default` tenant; `updateTenantClient` does the same for any tenant.
         */
        patch: operations["updateClient"];
        trace?: never;
    };
    "/admin/v1/clients/{client_id}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a client's secret
         * @description Issues a new client secret; the previous one stops working. A public client (`token_endpoint_auth_method: none`) has no secret (409).
         *
         *     Acts on the `default` tenant; `rotateTenantClientSecret` does the same for any tenant.
         */
        post: operations["rotateClientSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/apis": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List APIs
         * @description The APIs (resource servers) that accept this tenant's access tokens, ordered by creation time. Acts on the `default` tenant; `listTenantApis` does the same for any tenant.
         */
        get: operations["listApis"];
        put?: never;
        /**
         * Create an API
         * @description Registers an API (a resource server): its `identifier` is the `aud` of the access tokens issued for it (RFC 8707 `resource`), unique in the tenant and immutable; `scopes` are the permissions it defines. Acts on the `default` tenant; `createTenantApi` does the same for any tenant.
         */
        post: operations["createApi"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/apis/{api_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description API ID. */
                api_id: components["parameters"]["ApiIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get an API
         * @description The API. Acts on the `default` tenant; `getTenantApi` does the same for any tenant.
         */
        get: operations["getApi"];
        put?: never;
        post?: never;
        /**
         * Delete an API
         * @description Deletes the API and the clients' grants to it. If roles name its scopes the deletion is refused (409, naming the roles) unless `cascade=true`, which also removes those permissions from the roles. Tokens already issued for it stay valid until they expire. Acts on the `default` tenant; `deleteTenantApi` does the same for any tenant.
         */
        delete: operations["deleteApi"];
        options?: never;
        head?: never;
        /**
         * Update an API
         * @description Applies a JSON merge patch (RFC 7396). `identifier` cannot change. Removing a scope that roles or client grants use is refused (409). Acts on the `default` tenant; `updateTenantApi` does the same for any tenant.
         */
        patch: operations["updateApi"];
        trace?: never;
    };
    "/admin/v1/clients/{client_id}/apis": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a client's API grants
         * @description The APIs the client (machine to machine) may get tokens for with client credentials, and the scopes of each. Acts on the `default` tenant; `listTenantClientApis` does the same for any tenant.
         */
        get: operations["listClientApis"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/clients/{client_id}/apis/{api_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
                /** @description API ID. */
                api_id: components["parameters"]["ApiIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Grant a client access to an API
         * @description Sets the scopes of the API that the client may request with client credentials (replacing an earlier grant). Every scope must be one the API defines (400). Acts on the `default` tenant; `grantTenantClientApi` does the same for any tenant.
         */
        put: operations["grantClientApi"];
        post?: never;
        /**
         * Remove a client's access to an API
         * @description Removes the grant. Tokens already issued stay valid until they expire. Acts on the `default` tenant; `revokeTenantClientApi` does the same for any tenant.
         */
        delete: operations["revokeClientApi"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List roles
         * @description The tenant's roles, ordered by creation time. Acts on the `default` tenant; `listTenantRoles` does the same for any tenant.
         */
        get: operations["listRoles"];
        put?: never;
        /**
         * Create a role
         * @description A role is a named set of permissions (an API's identifier and one of its scopes). Its name is unique in the tenant; every permission must name a scope its API defines (400). Acts on the `default` tenant; `createTenantRole` does the same for any tenant.
         */
        post: operations["createRole"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/roles/{role_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a role
         * @description The role. Acts on the `default` tenant; `getTenantRole` does the same for any tenant.
         */
        get: operations["getRole"];
        put?: never;
        post?: never;
        /**
         * Delete a role
         * @description Deletes the role and its assignments. Acts on the `default` tenant; `deleteTenantRole` does the same for any tenant.
         */
        delete: operations["deleteRole"];
        options?: never;
        head?: never;
        /**
         * Update a role
         * @description Applies a JSON merge patch (RFC 7396); `permissions` replaces the whole list. Users holding the role get the new permissions with their next token. Acts on the `default` tenant; `updateTenantRole` does the same for any tenant.
         */
        patch: operations["updateRole"];
        trace?: never;
    };
    "/admin/v1/users/{user_id}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a user's roles
         * @description The roles assigned to the user, ordered by role ID. Acts on the `default` tenant; `listTenantUserRoles` does the same for any tenant.
         */
        get: operations["listUserRoles"];
        put?: never;
        /**
         * Assign roles to a user
         * @description Adds the roles to the user's roles (assigning a role the user holds already changes nothing). All or nothing: an unknown role assigns none (404). Acts on the `default` tenant; `assignTenantUserRoles` does the same for any tenant.
         */
        post: operations["assignUserRoles"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/roles/{role_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a role from a user
         * @description Removes the assignment. Acts on the `default` tenant; `removeTenantUserRole` does the same for any tenant.
         */
        delete: operations["removeUserRole"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List organizations
         * @description The tenant's organizations (B2B customers), ordered by ID. Acts on the `default` tenant; `listTenantOrganizations` does the same for any tenant.
         */
        get: operations["listOrganizations"];
        put?: never;
        /**
         * Create an organization
         * @description An organization is one of the tenant's customer companies: a set of the tenant's users (members) with roles that hold inside it. `name` is a slug unique in the tenant, used as `organization=` at `/authorize`; `connections` limit how members sign in (none: the tenant's); `branding` overrides the tenant's on the hosted pages. Acts on the `default` tenant; `createTenantOrganization` does the same for any tenant.
         */
        post: operations["createOrganization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/organizations/{org_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get an organization
         * @description The organization. Acts on the `default` tenant; `getTenantOrganization` does the same for any tenant.
         */
        get: operations["getOrganization"];
        put?: never;
        post?: never;
        /**
         * Delete an organization
         * @description Deletes the organization, its memberships and the members' roles in it. Tokens already issued with its `org_id` stay valid until they expire; their refresh tokens stop working. Acts on the `default` tenant; `deleteTenantOrganization` does the same for any tenant.
         */
        delete: operations["deleteOrganization"];
        options?: never;
        head?: never;
        /**
         * Update an organization
         * @description Applies a JSON merge patch (RFC 7396); `connections` and `domains` replace the whole list. Renaming changes the `organization=` value clients send and the `org_name` of new tokens. Acts on the `default` tenant; `updateTenantOrganization` does the same for any tenant.
         */
        patch: operations["updateOrganization"];
        trace?: never;
    };
    "/admin/v1/organizations/{org_id}/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        /**
         * List an organization's open invitations
         * @description The invitations into the organization that are neither accepted nor expired, ordered by ID. Acts on the `default` tenant; `listTenantOrganizationInvitations` does the same for any tenant.
         */
        get: operations["listOrganizationInvitations"];
        put?: never;
        /**
         * Invite a person into an organization
         * @description Mails the address a link to the hosted login's accept page ({issuer}/invite/organization?token=…), valid for 7 days (`expires_in_seconds`, 300 to 2592000). Whoever opens it signs in (or registers) with that email address and becomes a member with `roles` (role IDs of the tenant). It is accepted once; the token is never returned. An unknown organization: 404; an unknown role: 400. Acts on the `default` tenant; `createTenantOrganizationInvitation` does the same for any tenant.
         */
        post: operations["createOrganizationInvitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/organizations/{org_id}/invitations/{invitation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description Invitation ID. */
                invitation_id: components["parameters"]["InvitationIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an invitation into an organization
         * @description Its link stops working. Acts on the `default` tenant; `deleteTenantOrganizationInvitation` does the same for any tenant.
         */
        delete: operations["deleteOrganizationInvitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/organizations/{org_id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        /**
         * List an organization's members
         * @description The organization's members, ordered by user ID. Acts on the `default` tenant; `listTenantOrganizationMembers` does the same for any tenant.
         */
        get: operations["listOrganizationMembers"];
        put?: never;
        /**
         * Add a member to an organization
         * @description Makes a user of the tenant a member. An unknown organization or user: 404; a member already: 409. Acts on the `default` tenant; `addTenantOrganizationMember` does the same for any tenant.
         */
        post: operations["addOrganizationMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/organizations/{org_id}/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member from an organization
         * @description Ends the membership and the member's roles in the organization. The member's refresh tokens for the organization stop working at once; access tokens live until they expire. Acts on the `default` tenant; `removeTenantOrganizationMember` does the same for any tenant.
         */
        delete: operations["removeOrganizationMember"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/organizations/{org_id}/members/{user_id}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a member's roles in an organization
         * @description The roles the member holds in the organization, ordered by role ID. Acts on the `default` tenant; `listTenantOrganizationMemberRoles` does the same for any tenant.
         */
        get: operations["listOrganizationMemberRoles"];
        put?: never;
        /**
         * Assign roles to a member of an organization
         * @description Adds the roles to the member's roles in the organization: they hold in tokens issued for this organization only. All or nothing: a non-member or an unknown role assigns none (404). Acts on the `default` tenant; `assignTenantOrganizationMemberRoles` does the same for any tenant.
         */
        post: operations["assignOrganizationMemberRoles"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/organizations/{org_id}/members/{user_id}/roles/{role_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member's role in an organization
         * @description Removes the assignment. Acts on the `default` tenant; `removeTenantOrganizationMemberRole` does the same for any tenant.
         */
        delete: operations["removeOrganizationMemberRole"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API keys
         * @description Includes revoked and expired keys.
         *
         *     Acts on the `default` tenant; `listTenantApiKeys` does the same for any tenant.
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key
         * @description Creates an Admin API key. The bearer token is returned only in this response. A key cannot be granted scopes its creator lacks (403).
         *
         *     Acts on the `default` tenant; `createTenantApiKey` does the same for any tenant.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/api-keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description API key ID. */
                key_id: components["parameters"]["KeyIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key
         * @description Revokes the key at once. It stays listed with `revoked_at` set. Idempotent.
         *
         *     Acts on the `default` tenant; `revokeTenantApiKey` does the same for any tenant.
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/initial-access-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List initial access tokens
         * @description Initial access tokens for dynamic client registration (RFC 7591 §3), including expired and used-up ones. The
         *     secrets are never shown again.
         *
         *     Acts on the `default` tenant; `listTenantInitialAccessTokens` does the same for any tenant.
         */
        get: operations["listInitialAccessTokens"];
        put?: never;
        /**
         * Create an initial access token
         * @description Creates a bearer token that lets a client register itself at `{issuer}/oauth/register` while the tenant's
         *     `dcr` is `initial_access_token`. The token is returned only in this response.
         *
         *     Acts on the `default` tenant; `createTenantInitialAccessToken` does the same for any tenant.
         */
        post: operations["createInitialAccessToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/initial-access-tokens/{token_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Initial access token ID. */
                token_id: components["parameters"]["TokenIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete an initial access token
         * @description Deletes the token at once; clients it registered stay.
         *
         *     Acts on the `default` tenant; `deleteTenantInitialAccessToken` does the same for any tenant.
         */
        delete: operations["deleteInitialAccessToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List security events
         * @description The `default` tenant's audit log: sign-ins, account changes and admin actions, newest first. Each record
         *     carries the hash of the previous one (`gatehouse audit verify` checks the chain).
         */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/events/{event_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Event ID. */
                event_id: components["parameters"]["EventIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a security event
         * @description One record of the `default` tenant's audit log, with its chain hashes.
         */
        get: operations["getEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List webhooks
         * @description The `default` tenant's webhook subscriptions, ordered by creation time. Secrets are never listed.
         */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Create a webhook
         * @description Subscribes a URL to the `default` tenant's events. The URL must be `https`, or `http` to a loopback
         *     address. The signing secret is returned only in this response.
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/webhooks/{webhook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Webhook ID. */
                webhook_id: components["parameters"]["WebhookIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a webhook
         * @description One webhook subscription of the `default` tenant, without its secret.
         */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook
         * @description Deletes the subscription and its queued and past deliveries.
         */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /**
         * Update a webhook
         * @description Applies a JSON merge patch (RFC 7396). Disabling a webhook keeps its queued deliveries until it is enabled again.
         */
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/admin/v1/webhooks/{webhook_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Webhook ID. */
                webhook_id: components["parameters"]["WebhookIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a webhook's deliveries
         * @description The webhook's outbox, newest first, with each delivery's status, attempts, last error and next attempt.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a user's sessions
         * @description The user's active browser sessions: not revoked and not past their absolute or idle expiry. Ordered by creation time. A page may hold fewer than `limit` sessions; follow `next_cursor` to the end.
         *
         *     Acts on the `default` tenant; `listTenantUserSessions` does the same for any tenant.
         */
        get: operations["listUserSessions"];
        put?: never;
        post?: never;
        /**
         * Revoke all of a user's sessions
         * @description Signs the user out everywhere: revokes each of their sessions, the refresh tokens issued under it and the access tokens issued under it (through the revocation list, at once). Tokens not tied to a session are kept; `revokeUserTokens` revokes those. Idempotent.
         *
         *     Acts on the `default` tenant; `revokeTenantUserSessions` does the same for any tenant.
         */
        delete: operations["revokeUserSessions"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/sessions/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Session ID. */
                session_id: components["parameters"]["SessionIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a user's session
         * @description Ends one session: the user must sign in again in that browser, and the refresh and access tokens issued under the session stop working. A session of another user is not found (404). Idempotent.
         *
         *     Acts on the `default` tenant; `revokeTenantUserSession` does the same for any tenant.
         */
        delete: operations["revokeUserSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/consents": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a user's consents
         * @description The clients the user granted scopes to, with those scopes. Ordered by client ID.
         *
         *     Acts on the `default` tenant; `listTenantUserConsents` does the same for any tenant.
         */
        get: operations["listUserConsents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/consents/{client_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a user's consent to a client
         * @description Forgets the consent, so the client must ask the user again, and revokes the refresh tokens the client holds for the user. 404 when the user has not consented to the client.
         *
         *     Acts on the `default` tenant; `revokeTenantUserConsent` does the same for any tenant.
         */
        delete: operations["revokeUserConsent"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/tokens/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a user's tokens
         * @description Revokes every refresh token of the user and every access token issued to them until now (stateless JWTs through the revocation list: at once on the node that answers, within seconds on the others). With `sessions: true` it also revokes their browser sessions, so they must sign in again. The body is optional.
         *
         *     Acts on the `default` tenant; `revokeTenantUserTokens` does the same for any tenant.
         */
        post: operations["revokeUserTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/clients/{client_id}/tokens/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a client's tokens
         * @description Revokes every refresh token of the client and every access token issued to it until now, for all users and its own client-credentials tokens (stateless JWTs through the revocation list: at once on the node that answers, within seconds on the others). The client itself is kept.
         *
         *     Acts on the `default` tenant; `revokeTenantClientTokens` does the same for any tenant.
         */
        post: operations["revokeClientTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/signing-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the signing keys
         * @description The tenant's token-signing keys: one active key per algorithm, and retired keys that stay published in the JWKS until every token they signed has expired (`expires_at`). Private key material is never returned. The set is small and returned whole, newest first.
         *
         *     Acts on the `default` tenant; `getTenantSigningKeys` does the same for any tenant.
         */
        get: operations["getSigningKeys"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/signing-keys/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing keys
         * @description Retires the active key of each named algorithm (every algorithm the tenant has an active key for when the body or `algs` is absent) and creates its successor, which signs from now on. Naming `EdDSA` creates the tenant's EdDSA key if it has none; otherwise a tenant has one only while a client asks for EdDSA ID tokens. A retired key stays in the JWKS until every token it signed has expired, so tokens already issued keep verifying.
         *
         *     Acts on the `default` tenant; `rotateTenantSigningKeys` does the same for any tenant.
         */
        post: operations["rotateSigningKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/saml-certificates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the SAML signing certificates
         * @description The certificates of the tenant's SAML identity provider, as its metadata (`{tenant base}/saml/metadata`) lists them: the `active` one, which signs Responses and LogoutResponses, and the `announced` next one, if a rotation is under way. Private keys are never returned. The tenant's first certificate is made here if it has none yet.
         *
         *     Acts on the `default` tenant; `getTenantSamlCertificates` does the same for any tenant.
         */
        get: operations["getSamlCertificates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/saml-certificates/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the SAML signing certificate
         * @description A rotation is two steps, so that service providers trust the next certificate before it signs. `announce` makes the next certificate: metadata lists it after the active one, nothing is signed with it (a second `announce` keeps the one already announced). Once the service providers have read the metadata again (it says it is valid for 24 hours; those that keep a pasted copy of the certificate must be given the new one), `activate` makes the announced certificate sign and retires the old one, which leaves metadata. `activate` with no certificate announced is refused with 409. The same two steps run on a schedule when `GATEHOUSE_SAML_CERT_ROTATION` is set.
         *
         *     Acts on the `default` tenant; `rotateTenantSamlCertificates` does the same for any tenant.
         */
        post: operations["rotateSamlCertificates"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/saml-service-providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List SAML service providers
         * @description The SAML 2.0 service providers (applications) registered with the tenant's identity provider.
         *
         *     Acts on the `default` tenant; `listTenantSamlServiceProviders` does the same for any tenant.
         */
        get: operations["listSamlServiceProviders"];
        put?: never;
        /**
         * Register a SAML service provider
         * @description Registers a SAML 2.0 service provider. Give exactly one of `metadata_xml`, `metadata_url` (fetched once, now) or `entity_id` with `acs_urls`; the entity ID, ACS URLs, SLO URL and certificates are read from metadata. ACS and SLO URLs must be `https` (or `http` to a loopback address). Bad metadata, an unreachable `metadata_url` or a `javascript:` ACS URL is a 400 and registers nothing; an entity ID already registered in the tenant is a 409.
         *
         *     Acts on the `default` tenant; `createTenantSamlServiceProvider` does the same for any tenant.
         */
        post: operations["createSamlServiceProvider"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/saml-service-providers/{sp_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description SAML service provider ID. */
                sp_id: components["parameters"]["SamlSpIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a SAML service provider
         * @description The service provider.
         *
         *     Acts on the `default` tenant; `getTenantSamlServiceProvider` does the same for any tenant.
         */
        get: operations["getSamlServiceProvider"];
        put?: never;
        post?: never;
        /**
         * Delete a SAML service provider
         * @description Unregisters the service provider; Gatehouse issues no more assertions to it.
         *
         *     Acts on the `default` tenant; `deleteTenantSamlServiceProvider` does the same for any tenant.
         */
        delete: operations["deleteSamlServiceProvider"];
        options?: never;
        head?: never;
        /**
         * Update a SAML service provider
         * @description Applies a JSON merge patch (RFC 7396). `metadata_xml` or `metadata_url` re-reads the entity ID, ACS URLs, SLO URL and certificates from metadata and replaces them; explicit members replace single values.
         *
         *     Acts on the `default` tenant; `updateTenantSamlServiceProvider` does the same for any tenant.
         */
        patch: operations["updateSamlServiceProvider"];
        trace?: never;
    };
    "/admin/v1/analytics/{metric}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The metric. */
                metric: components["parameters"]["AnalyticsMetricParam"];
            };
            cookie?: never;
        };
        /**
         * Get an analytics metric
         * @description One metric of the tenant's sign-in analytics over a period, in buckets of an hour, a day or a week (UTC;
         *     weeks start on Monday): `signups`, `signins` (grouped by `outcome` — `success`, `failed`, `challenged`,
         *     `denied` — and `method`), `active_users` (grouped by `period`: `day`, `week`, `month` — the distinct users
         *     who signed in during the day, ISO week or month that contains each bucket), `mfa_adoption` (second-factor
         *     enrolments, grouped by `factor`), `risk_decisions` (grouped by `decision` — `allow`, `challenge`, `deny` —
         *     and `rule`) and `token_issuance` (grouped by `grant` and `client`). Every bucket from the one containing
         *     `from` up to `to` (excluded) is present, 0 when nothing happened. The figures come from rollups kept as
         *     events happen (docs/analytics.md), never from a scan of the audit log; they may lag by a few seconds.
         *
         *     An unknown metric, a malformed time, `from` not before `to`, an unknown interval, or a range of more than
         *     1,000 buckets is a 400 `validation` problem.
         *
         *     Acts on the `default` tenant; `getTenantAnalytics` does the same for any tenant.
         */
        get: operations["getAnalytics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/risk-policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the risk policy
         * @description The tenant's risk-based authentication policy as it is applied: every member is present, members never set
         *     show their defaults. See docs/risk.md for what each rule does.
         *
         *     Acts on the `default` tenant; `getTenantRiskPolicy` does the same for any tenant.
         */
        get: operations["getRiskPolicy"];
        /**
         * Replace the risk policy
         * @description Replaces the tenant's risk policy. Members left out take their defaults (an empty object restores all
         *     defaults), so later improvements of the defaults reach them. Checks that span members (`deny_score` not
         *     below `challenge_score`, `pair_lock_after` not below `pair_backoff_after`, valid CIDRs) are 400
         *     `validation` problems pointing at the member; nothing is stored then. Takes effect on the next sign-in
         *     attempt on every node.
         *
         *     Acts on the `default` tenant; `replaceTenantRiskPolicy` does the same for any tenant.
         */
        put: operations["replaceRiskPolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/risk-summary": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a user's risk summary
         * @description What the risk engine knows about the user: the devices, countries and networks of their successful
         *     sign-ins, their usual hours, the last successful sign-in, the failed attempts on the account in the
         *     current window (from all sources) and the sources (address, or device) currently locked out of it.
         *
         *     Acts on the `default` tenant; `getTenantUserRiskSummary` does the same for any tenant.
         */
        get: operations["getUserRiskSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List connections
         * @description The tenant's upstream identity providers and directories, ordered by ID. Secrets are never returned.
         *
         *     Acts on the `default` tenant; `listTenantConnections` does the same for any tenant.
         */
        get: operations["listConnections"];
        put?: never;
        /**
         * Create a connection
         * @description Adds an upstream identity provider (`oidc`, `oauth2`, `github`, `google`, `microsoft`, `apple`, `saml`) or
         *     directory (`ldap`). Secrets (`client_secret`, `bind_password`, `private_key_pem`) are sealed with the keyring
         *     and never returned. The response carries the `redirect_uri` to register at an OpenID Connect or OAuth 2.0
         *     upstream and, for `saml`, the `sp_metadata_url` and `acs_url`. A configuration the connector refuses
         *     (unknown type, a URL that is not absolute, an LDAP filter without `{username}`) is a 400 and nothing is
         *     written; an `id` already used is a 409.
         *
         *     Acts on the `default` tenant; `createTenantConnection` does the same for any tenant.
         */
        post: operations["createConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/connections/{connection_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a connection
         * @description Acts on the `default` tenant; `getTenantConnection` does the same for any tenant.
         */
        get: operations["getConnection"];
        put?: never;
        post?: never;
        /**
         * Delete a connection
         * @description Deletes the connection and the identities linked through it; the users stay.
         *
         *     Acts on the `default` tenant; `deleteTenantConnection` does the same for any tenant.
         */
        delete: operations["deleteConnection"];
        options?: never;
        head?: never;
        /**
         * Update a connection
         * @description Applies a JSON merge patch (RFC 7396); `type` cannot change. A secret member replaces the stored secret;
         *     absent, the stored one is kept. The result is validated as on creation (400, nothing written).
         *
         *     Acts on the `default` tenant; `updateTenantConnection` does the same for any tenant.
         */
        patch: operations["updateConnection"];
        trace?: never;
    };
    "/admin/v1/connections/{connection_id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import and update users from an LDAP directory
         * @description Reads the directory of an `ldap` connection as sign-in sees it (a paged search of `user_search_base` with `user_search_filter`, `{username}` as `*`, at most 100,000 users, then each user's groups) and, for each user: updates the linked Gatehouse user per `attribute_mapping` (`updated` or `unchanged`), or provisions one and links the identity (`created`; unless the connection is `link_only`, the entry has no email, or the email belongs to another account: `skipped`, a directory never links by email). Emails are not verified by a sync. Idempotent; audited as `admin.connection.synced` with the counts. `400` for a connection of another type, `404` for none, `503` (`directory-unavailable`) when the directory cannot be reached, nothing changed.
         *
         *     Acts on the `default` tenant; `syncTenantConnection` does the same for any tenant.
         */
        post: operations["syncConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/identities/{connection_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Unlink a user's federated identity
         * @description Removes the link between the user and their identity at the connection; the user and the connection stay.
         *     The next sign-in through that connection no longer reaches this user.
         *
         *     Acts on the `default` tenant; `unlinkTenantUserIdentity` does the same for any tenant.
         */
        delete: operations["unlinkUserIdentity"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/privacy/purposes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List privacy purposes
         * @description The purposes the tenant processes personal data for, ordered by ID. Acts on the `default` tenant; `listTenantPrivacyPurposes` does the same for any tenant.
         */
        get: operations["listPrivacyPurposes"];
        put?: never;
        /**
         * Create a privacy purpose
         * @description A purpose is something the tenant processes personal data for, with its legal basis (GDPR Art. 6). Its `id` is a slug chosen by the caller, unique in the tenant (409). A `required` purpose must be accepted to register; optional ones are never pre-ticked. The purpose starts at `version` 1. Acts on the `default` tenant; `createTenantPrivacyPurpose` does the same for any tenant.
         */
        post: operations["createPrivacyPurpose"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/privacy/purposes/{purpose_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a privacy purpose
         * @description The purpose. Acts on the `default` tenant; `getTenantPrivacyPurpose` does the same for any tenant.
         */
        get: operations["getPrivacyPurpose"];
        /**
         * Replace a privacy purpose
         * @description Replaces the purpose's name, description, legal basis and `required` flag. When the name, the description or the legal basis change materially (other than in case and white space), the server bumps `version`: users who agreed to an older version are asked again (`reconsent_required` in their privacy state, and the tokens' `privacy_consents` leave the purpose out until they do). Acts on the `default` tenant; `replaceTenantPrivacyPurpose` does the same for any tenant.
         */
        put: operations["replacePrivacyPurpose"];
        post?: never;
        /**
         * Delete a privacy purpose
         * @description Deletes the purpose and the users' current decisions about it. The ledger keeps every past decision and its receipt as evidence. Acts on the `default` tenant; `deleteTenantPrivacyPurpose` does the same for any tenant.
         */
        delete: operations["deletePrivacyPurpose"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/privacy": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a user's privacy state
         * @description For each of the tenant's purposes: whether the user granted it, the version they agreed to, when, and whether they must be asked again. Acts on the `default` tenant; `getTenantUserPrivacy` does the same for any tenant.
         */
        get: operations["getUserPrivacy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/privacy/history": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a user's privacy ledger
         * @description The user's append-only consent ledger, oldest first: every decision with its purpose version, channel, address, user agent, actor, evidence and receipt. Acts on the `default` tenant; `listTenantUserPrivacyHistory` does the same for any tenant.
         */
        get: operations["listUserPrivacyHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/privacy/purposes/{purpose_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Record a user's decision for them
         * @description Records a decision the user made outside Gatehouse (a signed form, a call), with the API key as the actor and the required `evidence` (where the decision is documented). Channel `admin`. Withdrawing a required purpose is refused (409 `required-purpose`): the user leaves a required purpose only by deleting the account. Acts on the `default` tenant; `setTenantUserPrivacyPurpose` does the same for any tenant.
         */
        put: operations["setUserPrivacyPurpose"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/privacy/receipts/{receipt_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Consent receipt ID (the ledger entry's ID). */
                receipt_id: components["parameters"]["ReceiptIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a consent receipt
         * @description The receipt of one ledger entry: a compact JWS signed with the tenant's token-signing key (verify it with the tenant's JWKS) holding the Kantara consent receipt fields. Acts on the `default` tenant; `getTenantUserPrivacyReceipt` does the same for any tenant.
         */
        get: operations["getUserPrivacyReceipt"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a data export
         * @description Starts a copy of everything Gatehouse holds about the user (GDPR Art. 15 and 20), as `startMyExport` does for the signed-in user; poll `getUserExport`. Acts on the `default` tenant; `startTenantUserExport` does the same for any tenant.
         */
        post: operations["startUserExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/users/{user_id}/export/{export_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Data export ID. */
                export_id: components["parameters"]["ExportIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a data export
         * @description The export's status and, once `ready`, its document (no secrets). An export of another user or an expired one is a 404. Acts on the `default` tenant; `getTenantUserExport` does the same for any tenant.
         */
        get: operations["getUserExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List a tenant's users
         * @description Users ordered by creation time. Filters combine with AND.
         *
         *     Same as `listUsers`, for the tenant named by `tenant`.
         */
        get: operations["listTenantUsers"];
        put?: never;
        /**
         * Create a user in a tenant
         * @description Same as `createUser`, for the tenant named by `tenant`.
         */
        post: operations["createTenantUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a tenant's user
         * @description Same as `getUser`, for the tenant named by `tenant`.
         */
        get: operations["getTenantUser"];
        put?: never;
        post?: never;
        /**
         * Delete a tenant's user
         * @description Deletes the user with their credentials and sessions.
         *
         *     Same as `deleteUser`, for the tenant named by `tenant`.
         */
        delete: operations["deleteTenantUser"];
        options?: never;
        head?: never;
        /**
         * Update a tenant's user
         * @description Applies a JSON merge patch (RFC 7396).
         *
         *     Same as `updateUser`, for the tenant named by `tenant`.
         */
        patch: operations["updateTenantUser"];
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable a tenant's user
         * @description Sets `disabled`: the user cannot sign in and their sessions and refresh tokens stop working. Idempotent.
         *
         *     Same as `disableUser`, for the tenant named by `tenant`.
         */
        post: operations["disableTenantUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/move": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move a tenant's user to another region
         * @description Moves the user's personal data to another data-residency region (`GATEHOUSE_REGIONS`): their profile,
         *     password, second factors, OAuth consents, privacy decisions and ledger, risk history and the key that seals
         *     audit events about them are copied to the new region's database, read back and compared, then deleted from
         *     the old one, and the directory points to the new region — all or nothing. The user is signed out
         *     everywhere first (sessions, refresh tokens and access tokens are revoked): tokens name the region they
         *     were issued in. Pending verification codes, MFA challenges, remembered devices and data exports are not
         *     carried. Recorded as a `user.moved` audit event. A region that is not configured, or a server without
         *     regions, is a validation problem on `/region`; a move to the user's own region is a conflict.
         *
         *     Same as `moveUser`, for the tenant named by `tenant`.
         */
        post: operations["moveTenantUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enable a tenant's user
         * @description Clears `disabled` and any temporary lock (`locked_until`). Idempotent.
         *
         *     Same as `enableUser`, for the tenant named by `tenant`.
         */
        post: operations["enableTenantUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/password": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Set a tenant's user's password
         * @description Creates or replaces the user's password. A password that fails the policy is a 400 `validation` problem pointing at `/password`.
         *
         *     Same as `setUserPassword`, for the tenant named by `tenant`.
         */
        put: operations["setTenantUserPassword"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/mfa/factors": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a user's MFA factors
         * @description The user's enrolled second factors (passkeys and security keys, authenticator apps, the recovery code set, SMS
         *     numbers), oldest first, without any secret. Email one-time codes are implicit and not listed.
         *
         *     Same as `listUserMFAFactors`, for the tenant named by `tenant`.
         */
        get: operations["listTenantUserMFAFactors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/mfa/factors/{factor_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description MFA factor ID. */
                factor_id: components["parameters"]["FactorIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a user's MFA factor
         * @description Removes one factor. The user is told by email, and an `mfa.removed` event names the API key as actor.
         *
         *     Same as `deleteUserMFAFactor`, for the tenant named by `tenant`.
         */
        delete: operations["deleteTenantUserMFAFactor"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/mfa/reset": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset a user's MFA
         * @description Removes all of the user's factors and remembered devices, e.g. after a lost phone: the user signs in with the
         *     password alone and enrols again (within the tenant's grace period when MFA is required). The user is told by
         *     email, and an `mfa.reset` audit event names the API key as actor. Idempotent.
         *
         *     Same as `resetUserMFA`, for the tenant named by `tenant`.
         */
        post: operations["resetTenantUserMFA"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List pending invitations
         * @description Lists the invitations that can still be accepted: neither accepted, revoked nor expired. A page may hold
         *     fewer than `limit` items while `next_cursor` is set; follow it until it is null.
         *
         *     Same as `listInvitations`, for the tenant named by `tenant`.
         */
        get: operations["listTenantInvitations"];
        put?: never;
        /**
         * Invite a user by email
         * @description Mails the address a link to `{issuer}/invite?token=…`, where its owner sets a password; accepting it also
         *     verifies the address. A new address gets a user (email unverified, no password); an existing user without
         *     a password gets a new invitation, and its older ones stop working. A user who already has a password is a
         *     409 `conflict` problem. The link works for `expires_in` seconds (default 7 days, at most 30 days).
         *
         *     Same as `createInvitation`, for the tenant named by `tenant`.
         */
        post: operations["createTenantInvitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/invitations/{invitation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Invitation ID. */
                invitation_id: components["parameters"]["InvitationIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an invitation
         * @description The invitation's link stops working at once. The invited user is kept. Idempotent for an invitation that
         *     is already accepted, revoked or expired.
         *
         *     Same as `revokeInvitation`, for the tenant named by `tenant`.
         */
        delete: operations["revokeTenantInvitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/clients": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List a tenant's clients
         * @description Same as `listClients`, for the tenant named by `tenant`.
         */
        get: operations["listTenantClients"];
        put?: never;
        /**
         * Create a client in a tenant
         * @description Registers an OAuth 2.0 / OpenID Connect client. Confidential clients get a `client_secret`, returned only in this response.
         *
         *     Same as `createClient`, for the tenant named by `tenant`.
         */
        post: operations["createTenantClient"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/clients/{client_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a tenant's client
         * @description Same as `getClient`, for the tenant named by `tenant`.
         */
        get: operations["getTenantClient"];
        put?: never;
        post?: never;
        /**
         * Delete a tenant's client
         * @description Deletes the client; its tokens stop working.
         *
         *     Same as `deleteClient`, for the tenant named by `tenant`.
         */
        delete: operations["deleteTenantClient"];
        options?: never;
        head?: never;
        /**
         * Update a tenant's client
         * @description Applies a JSON merge patch (RFC 7396). Changing `token_endpoint_auth_method` does not issue or remove a secret; use `rotateClientSecret`.
         *
         *     Same as `updateClient`, for the tenant named by `tenant`.
         */
        patch: operations["updateTenantClient"];
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/clients/{client_id}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a tenant's client's secret
         * @description Issues a new client secret; the previous one stops working. A public client (`token_endpoint_auth_method: none`) has no secret (409).
         *
         *     Same as `rotateClientSecret`, for the tenant named by `tenant`.
         */
        post: operations["rotateTenantClientSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/apis": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List a tenant's APIs
         * @description Same as `listApis`, for the tenant named by `tenant`.
         */
        get: operations["listTenantApis"];
        put?: never;
        /**
         * Create an API in a tenant
         * @description Same as `createApi`, for the tenant named by `tenant`.
         */
        post: operations["createTenantApi"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/apis/{api_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description API ID. */
                api_id: components["parameters"]["ApiIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a tenant's API
         * @description Same as `getApi`, for the tenant named by `tenant`.
         */
        get: operations["getTenantApi"];
        put?: never;
        post?: never;
        /**
         * Delete a tenant's API
         * @description Same as `deleteApi`, for the tenant named by `tenant`.
         */
        delete: operations["deleteTenantApi"];
        options?: never;
        head?: never;
        /**
         * Update a tenant's API
         * @description Same as `updateApi`, for the tenant named by `tenant`.
         */
        patch: operations["updateTenantApi"];
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/clients/{client_id}/apis": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a client's API grants (tenant)
         * @description Same as `listClientApis`, for the tenant named by `tenant`.
         */
        get: operations["listTenantClientApis"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/clients/{client_id}/apis/{api_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
                /** @description API ID. */
                api_id: components["parameters"]["ApiIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Grant a client access to an API (tenant)
         * @description Same as `grantClientApi`, for the tenant named by `tenant`.
         */
        put: operations["grantTenantClientApi"];
        post?: never;
        /**
         * Remove a client's access to an API (tenant)
         * @description Same as `revokeClientApi`, for the tenant named by `tenant`.
         */
        delete: operations["revokeTenantClientApi"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List roles (tenant)
         * @description Same as `listRoles`, for the tenant named by `tenant`.
         */
        get: operations["listTenantRoles"];
        put?: never;
        /**
         * Create a role (tenant)
         * @description Same as `createRole`, for the tenant named by `tenant`.
         */
        post: operations["createTenantRole"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/roles/{role_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a role (tenant)
         * @description Same as `getRole`, for the tenant named by `tenant`.
         */
        get: operations["getTenantRole"];
        put?: never;
        post?: never;
        /**
         * Delete a role (tenant)
         * @description Same as `deleteRole`, for the tenant named by `tenant`.
         */
        delete: operations["deleteTenantRole"];
        options?: never;
        head?: never;
        /**
         * Update a role (tenant)
         * @description Same as `updateRole`, for the tenant named by `tenant`.
         */
        patch: operations["updateTenantRole"];
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a user's roles (tenant)
         * @description Same as `listUserRoles`, for the tenant named by `tenant`.
         */
        get: operations["listTenantUserRoles"];
        put?: never;
        /**
         * Assign roles to a user (tenant)
         * @description Same as `assignUserRoles`, for the tenant named by `tenant`.
         */
        post: operations["assignTenantUserRoles"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/roles/{role_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a role from a user (tenant)
         * @description Same as `removeUserRole`, for the tenant named by `tenant`.
         */
        delete: operations["removeTenantUserRole"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List organizations (tenant)
         * @description Same as `listOrganizations`, for the tenant named by `tenant`.
         */
        get: operations["listTenantOrganizations"];
        put?: never;
        /**
         * Create an organization (tenant)
         * @description Same as `createOrganization`, for the tenant named by `tenant`.
         */
        post: operations["createTenantOrganization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/organizations/{org_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get an organization (tenant)
         * @description Same as `getOrganization`, for the tenant named by `tenant`.
         */
        get: operations["getTenantOrganization"];
        put?: never;
        post?: never;
        /**
         * Delete an organization (tenant)
         * @description Same as `deleteOrganization`, for the tenant named by `tenant`.
         */
        delete: operations["deleteTenantOrganization"];
        options?: never;
        head?: never;
        /**
         * Update an organization (tenant)
         * @description Same as `updateOrganization`, for the tenant named by `tenant`.
         */
        patch: operations["updateTenantOrganization"];
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/organizations/{org_id}/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        /**
         * List an organization's open invitations (tenant)
         * @description Same as `listOrganizationInvitations`, for the tenant named by `tenant`.
         */
        get: operations["listTenantOrganizationInvitations"];
        put?: never;
        /**
         * Invite a person into an organization (tenant)
         * @description Same as `createOrganizationInvitation`, for the tenant named by `tenant`.
         */
        post: operations["createTenantOrganizationInvitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/organizations/{org_id}/invitations/{invitation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description Invitation ID. */
                invitation_id: components["parameters"]["InvitationIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an invitation into an organization (tenant)
         * @description Same as `deleteOrganizationInvitation`, for the tenant named by `tenant`.
         */
        delete: operations["deleteTenantOrganizationInvitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/organizations/{org_id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        /**
         * List an organization's members (tenant)
         * @description Same as `listOrganizationMembers`, for the tenant named by `tenant`.
         */
        get: operations["listTenantOrganizationMembers"];
        put?: never;
        /**
         * Add a member to an organization (tenant)
         * @description Same as `addOrganizationMember`, for the tenant named by `tenant`.
         */
        post: operations["addTenantOrganizationMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/organizations/{org_id}/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member from an organization (tenant)
         * @description Same as `removeOrganizationMember`, for the tenant named by `tenant`.
         */
        delete: operations["removeTenantOrganizationMember"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/organizations/{org_id}/members/{user_id}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a member's roles in an organization (tenant)
         * @description Same as `listOrganizationMemberRoles`, for the tenant named by `tenant`.
         */
        get: operations["listTenantOrganizationMemberRoles"];
        put?: never;
        /**
         * Assign roles to a member of an organization (tenant)
         * @description Same as `assignOrganizationMemberRoles`, for the tenant named by `tenant`.
         */
        post: operations["assignTenantOrganizationMemberRoles"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/organizations/{org_id}/members/{user_id}/roles/{role_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member's role in an organization (tenant)
         * @description Same as `removeOrganizationMemberRole`, for the tenant named by `tenant`.
         */
        delete: operations["removeTenantOrganizationMemberRole"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List a tenant's API keys
         * @description Includes revoked and expired keys.
         *
         *     Same as `listApiKeys`, for the tenant named by `tenant`.
         */
        get: operations["listTenantApiKeys"];
        put?: never;
        /**
         * Create an API key in a tenant
         * @description Creates an Admin API key. The bearer token is returned only in this response. A key cannot be granted scopes its creator lacks (403).
         *
         *     Same as `createApiKey`, for the tenant named by `tenant`.
         */
        post: operations["createTenantApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/api-keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description API key ID. */
                key_id: components["parameters"]["KeyIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a tenant's API key
         * @description Revokes the key at once. It stays listed with `revoked_at` set. Idempotent.
         *
         *     Same as `revokeApiKey`, for the tenant named by `tenant`.
         */
        delete: operations["revokeTenantApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/initial-access-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List a tenant's initial access tokens
         * @description Initial access tokens for dynamic client registration (RFC 7591 §3), including expired and used-up ones. The
         *     secrets are never shown again.
         *
         *     Same as `listInitialAccessTokens`, for the tenant named by `tenant`.
         */
        get: operations["listTenantInitialAccessTokens"];
        put?: never;
        /**
         * Create an initial access token in a tenant
         * @description Creates a bearer token that lets a client register itself at `{issuer}/oauth/register` while the tenant's
         *     `dcr` is `initial_access_token`. The token is returned only in this response.
         *
         *     Same as `createInitialAccessToken`, for the tenant named by `tenant`.
         */
        post: operations["createTenantInitialAccessToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/initial-access-tokens/{token_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Initial access token ID. */
                token_id: components["parameters"]["TokenIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete a tenant's initial access token
         * @description Deletes the token at once; clients it registered stay.
         *
         *     Same as `deleteInitialAccessToken`, for the tenant named by `tenant`.
         */
        delete: operations["deleteTenantInitialAccessToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a tenant's user's sessions
         * @description The user's active browser sessions: not revoked and not past their absolute or idle expiry. Ordered by creation time. A page may hold fewer than `limit` sessions; follow `next_cursor` to the end.
         *
         *     Same as `listUserSessions`, for the tenant named by `tenant`.
         */
        get: operations["listTenantUserSessions"];
        put?: never;
        post?: never;
        /**
         * Revoke all of a tenant's user's sessions
         * @description Signs the user out everywhere: revokes each of their sessions, the refresh tokens issued under it and the access tokens issued under it (through the revocation list, at once). Tokens not tied to a session are kept; `revokeUserTokens` revokes those. Idempotent.
         *
         *     Same as `revokeUserSessions`, for the tenant named by `tenant`.
         */
        delete: operations["revokeTenantUserSessions"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/sessions/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Session ID. */
                session_id: components["parameters"]["SessionIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a tenant's user's session
         * @description Ends one session: the user must sign in again in that browser, and the refresh and access tokens issued under the session stop working. A session of another user is not found (404). Idempotent.
         *
         *     Same as `revokeUserSession`, for the tenant named by `tenant`.
         */
        delete: operations["revokeTenantUserSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/consents": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a tenant's user's consents
         * @description The clients the user granted scopes to, with those scopes. Ordered by client ID.
         *
         *     Same as `listUserConsents`, for the tenant named by `tenant`.
         */
        get: operations["listTenantUserConsents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/consents/{client_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a tenant's user's consent to a client
         * @description Forgets the consent, so the client must ask the user again, and revokes the refresh tokens the client holds for the user. 404 when the user has not consented to the client.
         *
         *     Same as `revokeUserConsent`, for the tenant named by `tenant`.
         */
        delete: operations["revokeTenantUserConsent"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/tokens/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a tenant's user's tokens
         * @description Revokes every refresh token of the user and every access token issued to them until now (stateless JWTs through the revocation list: at once on the node that answers, within seconds on the others). With `sessions: true` it also revokes their browser sessions, so they must sign in again. The body is optional.
         *
         *     Same as `revokeUserTokens`, for the tenant named by `tenant`.
         */
        post: operations["revokeTenantUserTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/clients/{client_id}/tokens/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a tenant's client's tokens
         * @description Revokes every refresh token of the client and every access token issued to it until now, for all users and its own client-credentials tokens (stateless JWTs through the revocation list: at once on the node that answers, within seconds on the others). The client itself is kept.
         *
         *     Same as `revokeClientTokens`, for the tenant named by `tenant`.
         */
        post: operations["revokeTenantClientTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/signing-keys": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * Get a tenant's signing keys
         * @description The tenant's token-signing keys: one active key per algorithm, and retired keys that stay published in the JWKS until every token they signed has expired (`expires_at`). Private key material is never returned. The set is small and returned whole, newest first.
         *
         *     Same as `getSigningKeys`, for the tenant named by `tenant`.
         */
        get: operations["getTenantSigningKeys"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/signing-keys/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a tenant's signing keys
         * @description Retires the active key of each named algorithm (every algorithm the tenant has an active key for when the body or `algs` is absent) and creates its successor, which signs from now on. Naming `EdDSA` creates the tenant's EdDSA key if it has none; otherwise a tenant has one only while a client asks for EdDSA ID tokens. A retired key stays in the JWKS until every token it signed has expired, so tokens already issued keep verifying.
         *
         *     Same as `rotateSigningKeys`, for the tenant named by `tenant`.
         */
        post: operations["rotateTenantSigningKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/saml-certificates": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * Get a tenant's SAML signing certificates
         * @description The certificates of the tenant's SAML identity provider, as its metadata (`{tenant base}/saml/metadata`) lists them: the `active` one, which signs Responses and LogoutResponses, and the `announced` next one, if a rotation is under way. Private keys are never returned. The tenant's first certificate is made here if it has none yet.
         *
         *     Same as `getSamlCertificates`, for the tenant named by `tenant`.
         */
        get: operations["getTenantSamlCertificates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/saml-certificates/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a tenant's SAML signing certificate
         * @description A rotation is two steps, so that service providers trust the next certificate before it signs. `announce` makes the next certificate: metadata lists it after the active one, nothing is signed with it (a second `announce` keeps the one already announced). Once the service providers have read the metadata again (it says it is valid for 24 hours; those that keep a pasted copy of the certificate must be given the new one), `activate` makes the announced certificate sign and retires the old one, which leaves metadata. `activate` with no certificate announced is refused with 409. The same two steps run on a schedule when `GATEHOUSE_SAML_CERT_ROTATION` is set.
         *
         *     Same as `rotateSamlCertificates`, for the tenant named by `tenant`.
         */
        post: operations["rotateTenantSamlCertificates"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/saml-service-providers": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List a tenant's SAML service providers
         * @description The SAML 2.0 service providers (applications) registered with the tenant's identity provider.
         *
         *     Same as `listSamlServiceProviders`, for the tenant named by `tenant`.
         */
        get: operations["listTenantSamlServiceProviders"];
        put?: never;
        /**
         * Register a SAML service provider in a tenant
         * @description Registers a SAML 2.0 service provider. Give exactly one of `metadata_xml`, `metadata_url` (fetched once, now) or `entity_id` with `acs_urls`; the entity ID, ACS URLs, SLO URL and certificates are read from metadata. ACS and SLO URLs must be `https` (or `http` to a loopback address). Bad metadata, an unreachable `metadata_url` or a `javascript:` ACS URL is a 400 and registers nothing; an entity ID already registered in the tenant is a 409.
         *
         *     Same as `createSamlServiceProvider`, for the tenant named by `tenant`.
         */
        post: operations["createTenantSamlServiceProvider"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/saml-service-providers/{sp_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description SAML service provider ID. */
                sp_id: components["parameters"]["SamlSpIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a tenant's SAML service provider
         * @description The service provider.
         *
         *     Same as `getSamlServiceProvider`, for the tenant named by `tenant`.
         */
        get: operations["getTenantSamlServiceProvider"];
        put?: never;
        post?: never;
        /**
         * Delete a tenant's SAML service provider
         * @description Unregisters the service provider; Gatehouse issues no more assertions to it.
         *
         *     Same as `deleteSamlServiceProvider`, for the tenant named by `tenant`.
         */
        delete: operations["deleteTenantSamlServiceProvider"];
        options?: never;
        head?: never;
        /**
         * Update a tenant's SAML service provider
         * @description Applies a JSON merge patch (RFC 7396). `metadata_xml` or `metadata_url` re-reads the entity ID, ACS URLs, SLO URL and certificates from metadata and replaces them; explicit members replace single values.
         *
         *     Same as `updateSamlServiceProvider`, for the tenant named by `tenant`.
         */
        patch: operations["updateTenantSamlServiceProvider"];
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/risk-policy": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * Get a tenant's risk policy
         * @description The tenant's risk-based authentication policy as it is applied: every member is present, members never set
         *     show their defaults. See docs/risk.md for what each rule does.
         *
         *     Same as `getRiskPolicy`, for the tenant named by `tenant`.
         */
        get: operations["getTenantRiskPolicy"];
        /**
         * Replace a tenant's risk policy
         * @description Replaces the tenant's risk policy. Members left out take their defaults (an empty object restores all
         *     defaults), so later improvements of the defaults reach them. Checks that span members (`deny_score` not
         *     below `challenge_score`, `pair_lock_after` not below `pair_backoff_after`, valid CIDRs) are 400
         *     `validation` problems pointing at the member; nothing is stored then. Takes effect on the next sign-in
         *     attempt on every node.
         *
         *     Same as `replaceRiskPolicy`, for the tenant named by `tenant`.
         */
        put: operations["replaceTenantRiskPolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/risk-summary": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a tenant's user's risk summary
         * @description What the risk engine knows about the user: the devices, countries and networks of their successful
         *     sign-ins, their usual hours, the last successful sign-in, the failed attempts on the account in the
         *     current window (from all sources) and the sources (address, or device) currently locked out of it.
         *
         *     Same as `getUserRiskSummary`, for the tenant named by `tenant`.
         */
        get: operations["getTenantUserRiskSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/analytics/{metric}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description The metric. */
                metric: components["parameters"]["AnalyticsMetricParam"];
            };
            cookie?: never;
        };
        /**
         * Get a tenant's analytics metric
         * @description One metric of the tenant's sign-in analytics over a period, in buckets of an hour, a day or a week (UTC;
         *     weeks start on Monday): `signups`, `signins` (grouped by `outcome` — `success`, `failed`, `challenged`,
         *     `denied` — and `method`), `active_users` (grouped by `period`: `day`, `week`, `month` — the distinct users
         *     who signed in during the day, ISO week or month that contains each bucket), `mfa_adoption` (second-factor
         *     enrolments, grouped by `factor`), `risk_decisions` (grouped by `decision` — `allow`, `challenge`, `deny` —
         *     and `rule`) and `token_issuance` (grouped by `grant` and `client`). Every bucket from the one containing
         *     `from` up to `to` (excluded) is present, 0 when nothing happened. The figures come from rollups kept as
         *     events happen (docs/analytics.md), never from a scan of the audit log; they may lag by a few seconds.
         *
         *     An unknown metric, a malformed time, `from` not before `to`, an unknown interval, or a range of more than
         *     1,000 buckets is a 400 `validation` problem.
         *
         *     Same as `getAnalytics`, for the tenant named by `tenant`.
         */
        get: operations["getTenantAnalytics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/mail-templates/{kind}/{lang}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description The mail. */
                kind: components["parameters"]["MailKindParam"];
                /** @description The language. */
                lang: components["parameters"]["MailLangParam"];
            };
            cookie?: never;
        };
        /**
         * Get a tenant's mail template override
         * @description The tenant's override of one mail (`kind`) in one language. 404 when the tenant has none: the
         *     built-in template is used.
         */
        get: operations["getTenantMailTemplate"];
        /**
         * Set a tenant's mail template override
         * @description Creates or replaces the tenant's override of one mail in one language. Each non-empty part replaces
         *     the built-in one: `subject` and `text` are Go `text/template`, `html` is the whole HTML document as Go
         *     `html/template` (escaped as usual). They see the mail's data as strings: `.TenantName`, `.UserName`,
         *     `.Code`, `.Link`, `.ExpiresIn`, `.IP`, `.UserAgent`, `.Time`, `.LogoURL`, `.Lang` (and `.Subject` in
         *     `html`), and may use `if`/`with`/`else`, comparisons and the built-in pieces (`{{template "content" .}}`,
         *     `{{template "button" .}}`, …); they cannot define templates, loop or call `print`, `printf` or `call`.
         *     Every part is parsed and rendered with sample data before it is stored: a part that does not parse or
         *     render is a 400 `validation` error on `/subject`, `/text` or `/html`, and nothing is stored.
         */
        put: operations["putTenantMailTemplate"];
        post?: never;
        /**
         * Remove a tenant's mail template override
         * @description The built-in template is used again. 404 when there is no override.
         */
        delete: operations["deleteTenantMailTemplate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/connections": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List a tenant's connections
         * @description The tenant's upstream identity providers and directories, ordered by ID. Secrets are never returned.
         *
         *     Same as `listConnections`, for the tenant named by `tenant`.
         */
        get: operations["listTenantConnections"];
        put?: never;
        /**
         * Create a connection in a tenant
         * @description Adds an upstream identity provider (`oidc`, `oauth2`, `github`, `google`, `microsoft`, `apple`, `saml`) or
         *     directory (`ldap`). Secrets (`client_secret`, `bind_password`, `private_key_pem`) are sealed with the keyring
         *     and never returned. The response carries the `redirect_uri` to register at an OpenID Connect or OAuth 2.0
         *     upstream and, for `saml`, the `sp_metadata_url` and `acs_url`. A configuration the connector refuses
         *     (unknown type, a URL that is not absolute, an LDAP filter without `{username}`) is a 400 and nothing is
         *     written; an `id` already used is a 409.
         *
         *     Same as `createConnection`, for the tenant named by `tenant`.
         */
        post: operations["createTenantConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/connections/{connection_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a tenant's connection
         * @description Same as `getConnection`, for the tenant named by `tenant`.
         */
        get: operations["getTenantConnection"];
        put?: never;
        post?: never;
        /**
         * Delete a tenant's connection
         * @description Deletes the connection and the identities linked through it; the users stay.
         *
         *     Same as `deleteConnection`, for the tenant named by `tenant`.
         */
        delete: operations["deleteTenantConnection"];
        options?: never;
        head?: never;
        /**
         * Update a tenant's connection
         * @description Applies a JSON merge patch (RFC 7396); `type` cannot change. A secret member replaces the stored secret;
         *     absent, the stored one is kept. The result is validated as on creation (400, nothing written).
         *
         *     Same as `updateConnection`, for the tenant named by `tenant`.
         */
        patch: operations["updateTenantConnection"];
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/connections/{connection_id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import and update users from an LDAP directory
         * @description Reads the directory of an `ldap` connection as sign-in sees it (a paged search of `user_search_base` with `user_search_filter`, `{username}` as `*`, at most 100,000 users, then each user's groups) and, for each user: updates the linked Gatehouse user per `attribute_mapping` (`updated` or `unchanged`), or provisions one and links the identity (`created`; unless the connection is `link_only`, the entry has no email, or the email belongs to another account: `skipped`, a directory never links by email). Emails are not verified by a sync. Idempotent; audited as `admin.connection.synced` with the counts. `400` for a connection of another type, `404` for none, `503` (`directory-unavailable`) when the directory cannot be reached, nothing changed.
         *
         *     Acts on the tenant `{tenant}`.
         */
        post: operations["syncTenantConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/identities/{connection_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Unlink a tenant user's federated identity
         * @description Removes the link between the user and their identity at the connection; the user and the connection stay.
         *     The next sign-in through that connection no longer reaches this user.
         *
         *     Same as `unlinkUserIdentity`, for the tenant named by `tenant`.
         */
        delete: operations["unlinkTenantUserIdentity"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/privacy/purposes": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List privacy purposes (tenant)
         * @description Same as `listPrivacyPurposes`, for the tenant named by `tenant`.
         */
        get: operations["listTenantPrivacyPurposes"];
        put?: never;
        /**
         * Create a privacy purpose (tenant)
         * @description Same as `createPrivacyPurpose`, for the tenant named by `tenant`.
         */
        post: operations["createTenantPrivacyPurpose"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/privacy/purposes/{purpose_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a privacy purpose (tenant)
         * @description Same as `getPrivacyPurpose`, for the tenant named by `tenant`.
         */
        get: operations["getTenantPrivacyPurpose"];
        /**
         * Replace a privacy purpose (tenant)
         * @description Same as `replacePrivacyPurpose`, for the tenant named by `tenant`.
         */
        put: operations["replaceTenantPrivacyPurpose"];
        post?: never;
        /**
         * Delete a privacy purpose (tenant)
         * @description Same as `deletePrivacyPurpose`, for the tenant named by `tenant`.
         */
        delete: operations["deleteTenantPrivacyPurpose"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/privacy": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a user's privacy state (tenant)
         * @description Same as `getUserPrivacy`, for the tenant named by `tenant`.
         */
        get: operations["getTenantUserPrivacy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/privacy/history": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        /**
         * List a user's privacy ledger (tenant)
         * @description Same as `listUserPrivacyHistory`, for the tenant named by `tenant`.
         */
        get: operations["listTenantUserPrivacyHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/privacy/purposes/{purpose_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Record a user's decision for them (tenant)
         * @description Same as `setUserPrivacyPurpose`, for the tenant named by `tenant`.
         */
        put: operations["setTenantUserPrivacyPurpose"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/privacy/receipts/{receipt_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Consent receipt ID (the ledger entry's ID). */
                receipt_id: components["parameters"]["ReceiptIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a consent receipt (tenant)
         * @description Same as `getUserPrivacyReceipt`, for the tenant named by `tenant`.
         */
        get: operations["getTenantUserPrivacyReceipt"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a data export (tenant)
         * @description Same as `startUserExport`, for the tenant named by `tenant`.
         */
        post: operations["startTenantUserExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tenants/{tenant}/users/{user_id}/export/{export_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Data export ID. */
                export_id: components["parameters"]["ExportIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a data export (tenant)
         * @description Same as `getUserExport`, for the tenant named by `tenant`.
         */
        get: operations["getTenantUserExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness probe
         * @description Answers 200 while the process is running. It checks no dependency.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness probe
         * @description Answers 200 when the server can serve traffic (its database answers), 503 otherwise.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Metrics in the Prometheus text exposition format. Requests are labelled by route pattern (never the raw
         *     path), standard method (any other method is `OTHER`) and status.
         *
         *     Not public: served to clients whose address (the client address after `GATEHOUSE_TRUSTED_PROXIES`) is in
         *     `GATEHOUSE_METRICS_ALLOW` (loopback and private networks by default), or that send
         *     `Authorization: Bearer` with the `GATEHOUSE_METRICS_TOKEN`. Others get `403`, a wrong token `401`. With
         *     `GATEHOUSE_OPS_ADDR` set, metrics are served only on that listener and this path answers `404` on the
         *     main one.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document, as JSON
         * @description The OpenAPI document describing this API, as JSON.
         */
        get: operations["getOpenAPIJSON"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.yaml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document, as YAML
         * @description The OpenAPI document describing this API, as YAML (the source form).
         */
        get: operations["getOpenAPIYAML"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * API reference page
         * @description An HTML page that renders this document. It loads nothing from other origins.
         */
        get: operations["getDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs/redoc.standalone.js": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * API reference page script
         * @description The Redoc bundle the reference page loads (MIT licence).
         */
        get: operations["getDocsScript"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/CHANGELOG.md": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * API changelog
         * @description The changelog of this document (`api/CHANGELOG.md`, Markdown), newest first. Deprecated operations link here (`Link` with `rel="deprecation"`).
         */
        get: operations["getChangelog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/login/api/authenticate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in to an authorization request
         * @description Checks the user's email address or username and password for a pending authorization request. On
         *     success the browser session cookie is set and the answer says what comes next: `complete` with the
         *     client's redirect (carrying the authorization code, or an error such as `login_required` when the
         *     request's `id_token_hint` named another user), `consent_required` with what the user is asked to
         *     allow (answer with `consentLogin`), or `mfa_required` when the tenant's MFA policy or the request's
         *     `acr_values` also ask for a second factor: `mfa` names the class to reach and the user's methods;
         *     answer with `loginMFAChallenge` and `loginMFAVerify`. A user within the policy's enrolment grace period
         *     gets `complete` or `consent_required` with `mfa` (`enrol` true, `grace_until`).
         *
         *     A wrong password and an unknown user get the same `invalid-credentials` problem, so the answer does not
         *     tell which accounts exist. When the tenant refuses unverified users (`Onboarding.allow_unverified_sign_in`
         *     false), a correct password of a user whose email is unverified gets `403` with type
         *     `urn:gatehouse:problem:email-unverified`, and a fresh verification code is mailed (at most one a minute);
         *     continue with `verifyEmail`.
         *
         *     Home-realm discovery: an identifier whose email domain is in the `domains` of an enabled `ldap` connection
         *     is checked against that directory instead (an empty password never reaches it); the user is found by the
         *     linked identity, or provisioned or linked per the connection (`403` when it is `link_only` or the email
         *     belongs to an account that must be linked on the hosted page first), and the session's `amr` is `fed`.
         *     An unreachable directory is `503` (`urn:gatehouse:problem:directory-unavailable`).
         *
         *     Sign-ins are rate-limited per client IP and per identifier (`429` with `Retry-After`); a limited
         *     identifier does not affect the others.
         */
        post: operations["authenticateLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/login/api/consent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Allow or deny an authorization request
         * @description Records the signed-in user's answer to the consent that `authenticateLogin` asked for. Allowing
         *     remembers the consent and completes the request; denying answers the client with
         *     `error=access_denied`. Either way `redirect_to` is where to send the browser. Needs the session cookie
         *     of a sign-in that satisfies the request.
         */
        post: operations["consentLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/login/api/organization": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Choose the organization of a sign-in
         * @description Answers the organization picker that `authenticateLogin` (or another login step) asked for with
         *     `organization_required`: scopes the authorization request to one of the signed-in user's organizations
         *     (`organization` is its ID), or, where `organizations.optional` is true, goes on without one
         *     (`organization` empty). Then, like the other steps, says what comes next: consent, or `complete`
         *     with `redirect_to`. Needs the session cookie of a sign-in that satisfies the request. An organization
         *     the user is not a member of, or a request already scoped to one, is refused (403, 404).
         */
        post: operations["chooseLoginOrganization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/login/api/mfa/challenge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a second-factor challenge
         * @description Starts a challenge of one of the methods that `authenticateLogin` listed in `mfa.methods`, for the
         *     signed-in user of the session cookie: `totp` and `recovery_codes` only start it (the user reads the
         *     code from their app or their list), `email_otp` mails a 6-digit code to the verified address and `sms`
         *     posts one to the tenant's SMS webhook (`masked` says where it went), and `webauthn` returns
         *     `webauthn_options` for `navigator.credentials.get()`. Answer with `loginMFAVerify`.
         *
         *     A challenge expires after 5 minutes and takes at most 5 answers. Challenges are rate-limited per user
         *     (`429`). A method the user has not enrolled, that the tenant does not allow or that cannot reach the
         *     class asked for (only `webauthn` reaches `phr`), and a sign-in that needs no factor, get `403`.
         */
        post: operations["loginMFAChallenge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/login/api/mfa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Answer a second-factor challenge
         * @description Answers a challenge of `loginMFAChallenge` with the `code` (TOTP, recovery, email or SMS code) or, for
         *     `webauthn`, the `credential` (the `PublicKeyCredential` of `navigator.credentials.get()`, as its
         *     `toJSON()`); exactly one of the two. A right answer adds the factor to the session (its `amr` gains the
         *     method and `mfa`, its `acr` rises, e.g. to `urn:gatehouse:acr:mfa`, and its `auth_time` becomes now),
         *     uses the challenge up and answers as `authenticateLogin` does: `complete`, `consent_required`, or
         *     `mfa_required` again when the session still falls short. With `remember_device` and a tenant policy
         *     that allows it (`remember_device_days`), the `gh_device` cookie is set too.
         *
         *     A wrong code is `401` `urn:gatehouse:problem:mfa-invalid` while the challenge lives; a TOTP code is
         *     accepted once. The answer that uses up the fifth attempt, and any answer to an expired, used-up or
         *     unknown challenge, is `410` `urn:gatehouse:problem:mfa-challenge-expired`: start a new challenge.
         */
        post: operations["loginMFAVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/register/api": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register a new user (self-service)
         * @description Creates an account with an email address and password for a pending authorization request, when
         *     self-service registration is on (`GATEHOUSE_REGISTRATION` and the tenant's `onboarding.registration_enabled`,
         *     both default on; off answers 404). The password
         *     must satisfy the password policy; violations are `validation` field errors on `/password`, as are
         *     errors on `/email`, `/given_name`, `/family_name`, `/accept_terms`, `/accept_terms_version` and the tenant's
         *     attribute schema.
         *
         *     A new address gets a user whose email is unverified and a mail with a verification code and link; an
         *     address that is already registered gets a notice instead. Both answer `202` with the same body, so the
         *     answer does not tell which accounts exist. Continue with `verifyEmail`. Limited per client IP and per
         *     address (429 with `Retry-After`).
         *
         *     With `invitation`, the token of an invitation into an organization (`createOrganizationInvitation`), the
         *     account is registered for the invited address in one step: `email` must be that address (else a
         *     `validation` error on `/email`); the password and the rest are checked as above; the address is verified
         *     at once (the invitation came by mail to it); the user becomes a member of the organization with the
         *     invitation's roles, and the invitation is used, all in one transaction. The tenant's registration switches
         *     do not apply: the invitation is the tenant's explicit permission. It answers `200` as `verifyEmail` does:
         *     the session cookie is set and the authorization request continues. An unknown, used, expired or other
         *     tenant's invitation is an `invalid-invitation` problem (400); an invited address that already has an
         *     account is a `conflict` (409): its owner accepts the invitation on its page by proving the account, and
         *     nothing is registered.
         */
        post: operations["registerUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/verify/api": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify an email address by code or link token
         * @description Redeems the verification code mailed to `email`, or the `token` of the mailed link. Codes expire after
         *     15 minutes and links after 24 hours; both are single-use, and a code dies after 5 wrong tries. Every
         *     failure is the same `invalid-verification` problem. On success the address is verified, the browser
         *     session cookie is set, and the authorization request the user registered from is continued as
         *     `authenticateLogin` does (`complete`, `consent_required` or `mfa_required`), or, when it is no longer pending, the
         *     answer is `verified`. Limited per client IP and per address (429 with `Retry-After`).
         */
        post: operations["verifyEmail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/recover/api": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask for a password reset code and link
         * @description Mails a reset code and a link to `{issuer}/recover/reset?token=…` to `email` if it belongs to an enabled
         *     user whose address is verified; an unknown, unverified or disabled address gets nothing. Every accepted
         *     request answers `202` with no body, at once and whatever the address, so the answer does not tell which
         *     accounts exist; the mail is sent afterwards. The code expires after 15 minutes, the link after 1 hour;
         *     a new request within a minute of the last mail sends nothing. Continue with `resetPassword`. Limited per
         *     client IP and per address (429 with `Retry-After`).
         */
        post: operations["startPasswordRecovery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/recover/api/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set a new password with a reset code or link token
         * @description Redeems the reset code mailed to `email`, or the `token` of the mailed link, and sets `new_password`.
         *     Both are single-use, and a code dies after 5 wrong tries. Every failed code or link is the same
         *     `invalid-verification` problem; a password that the password policy refuses is a `validation` problem
         *     with field errors on `/new_password`, and leaves the code or link usable. On success every session,
         *     refresh token and access token of the user is revoked and a notice is mailed to the address. Limited
         *     per client IP and per address (429 with `Retry-After`).
         */
        post: operations["resetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get my profile
         * @description The signed-in user, as the Admin API's `User`.
         *
         *     Acts on the `default` tenant; `getTenantMe` does the same for a named tenant, under `/t/{tenant}`.
         */
        get: operations["getMe"];
        put?: never;
        post?: never;
        /**
         * Delete my account
         * @description Deletes the signed-in user with their credentials, after revoking all their sessions, refresh tokens
         *     and access tokens (this one included). The user re-authenticates: one with a password sends it as
         *     `current_password`, and a wrong or missing one is a 400 `validation` problem on `/current_password`
         *     that says only that the password is incorrect. A user without a password (signed in through a
         *     federated provider) needs an access token from a sign-in less than 5 minutes old (its `auth_time`);
         *     an older one is a 401 whose `WWW-Authenticate` carries `error="insufficient_user_authentication"`
         *     and `max_age=300` (RFC 9470): sign in again and retry.
         *
         *     Acts on the `default` tenant; `deleteTenantMe` does the same for a named tenant, under `/t/{tenant}`.
         */
        delete: operations["deleteMe"];
        options?: never;
        head?: never;
        /**
         * Update my profile
         * @description Applies a JSON merge patch (RFC 7396) of the signed-in user's own profile (`MePatch`): names, contact
         *     and profile claims, and the custom attributes the tenant's `attribute_schema` declares user-writable
         *     (see `AttributeSchema`); the result must satisfy the schema. Email, username, verification flags,
         *     status and every other attribute are not the user's to change; naming them is a 400 `validation`
         *     problem (attributes under `/attributes/<name>`) and nothing changes. Changing `phone_number` clears `phone_number_verified`. Send the `ETag` of
         *     `getMe` as `If-Match` to apply the change only if the user is unchanged since (else 412).
         *
         *     Acts on the `default` tenant; `updateTenantMe` does the same for a named tenant, under `/t/{tenant}`.
         */
        patch: operations["updateMe"];
        trace?: never;
    };
    "/v1/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change my password
         * @description Replaces the signed-in user's password. `current_password` must be the present one: a wrong one (or a
         *     user without a password) is a 400 `validation` problem on `/current_password` that says only that the
         *     password is incorrect. `new_password` must pass the password policy (length, breached passwords, no
         *     identifiers); violations are field errors on `/new_password`. On success every session, refresh
         *     token and access token of the user is revoked, including the session and token of this request, so
         *     every device signs in again with the new password.
         *
         *     Acts on the `default` tenant; `changeTenantMyPassword` does the same for a named tenant, under `/t/{tenant}`.
         */
        post: operations["changeMyPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start changing my email address
         * @description Mails a verification code and a link to `new_email`; the address changes only when `verifyMyEmailChange`
         *     redeems the code, or the hosted page the link opens (`/email/confirm`) redeems the link. `current_password` must be the present one: a wrong one (or a user without a password) is a
         *     400 `validation` problem on `/current_password`. A new request replaces the pending one; within a minute
         *     of the last one it is a 429. Whether `new_email` is taken is only checked when the code is redeemed, so
         *     this answer says nothing about other accounts.
         *
         *     Acts on the `default` tenant; `startTenantMyEmailChange` does the same for a named tenant, under `/t/{tenant}`.
         */
        post: operations["startMyEmailChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/email/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm my new email address
         * @description Redeems the code mailed by `startMyEmailChange`: the user's email becomes the new address, verified,
         *     and a notice goes to the previous address. A wrong, expired or used code is a 400 `validation` problem
         *     on `/code`; five wrong codes kill it. An address another user of the tenant has taken since is a 409
         *     `conflict`, and the code is used up.
         *
         *     Acts on the `default` tenant; `verifyTenantMyEmailChange` does the same for a named tenant, under `/t/{tenant}`.
         */
        post: operations["verifyMyEmailChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List my sessions
         * @description The signed-in user's active browser sessions: not revoked and not past their absolute or idle expiry, ordered by creation time. The session the access token was issued under has `current: true`. A page may hold fewer than `limit` sessions; follow `next_cursor` to the end.
         *
         *     Acts on the `default` tenant; `listTenantMySessions` does the same for a named tenant, under `/t/{tenant}`.
         */
        get: operations["listMySessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/sessions/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Session ID. */
                session_id: components["parameters"]["SessionIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Sign out one of my sessions
         * @description Ends one of the signed-in user's sessions: that browser must sign in again, and the refresh and access tokens issued under the session stop working at once. Revoking the `current` session revokes the token that made this call too. A session of another user is not found (404). Idempotent.
         *
         *     Acts on the `default` tenant; `revokeTenantMySession` does the same for a named tenant, under `/t/{tenant}`.
         */
        delete: operations["revokeMySession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List my organizations
         * @description The organizations the signed-in user is a member of, ordered by ID: what a client may pass as `organization=` at `/authorize` for this user.
         *
         *     Acts on the `default` tenant; `listTenantMyOrganizations` does the same for a named tenant, under `/t/{tenant}`.
         */
        get: operations["listMyOrganizations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/consents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List my consents
         * @description The clients the signed-in user granted scopes to, with those scopes. Ordered by client ID.
         *
         *     Acts on the `default` tenant; `listTenantMyConsents` does the same for a named tenant, under `/t/{tenant}`.
         */
        get: operations["listMyConsents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/consents/{client_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke my consent to a client
         * @description Forgets the signed-in user's consent to the client, so the client must ask again, and revokes the refresh tokens the client holds for the user. 404 when the user has not consented to the client.
         *
         *     Acts on the `default` tenant; `revokeTenantMyConsent` does the same for a named tenant, under `/t/{tenant}`.
         */
        delete: operations["revokeMyConsent"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/identities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List my federated identities
         * @description The signed-in user's identities at the tenant's connections (upstream identity providers and directories), by which they sign in through them. Ordered by connection ID.
         *
         *     Acts on the `default` tenant; `listTenantMyIdentities` does the same for a named tenant, under `/t/{tenant}`.
         */
        get: operations["listMyIdentities"];
        put?: never;
        /**
         * Start linking an identity to my account
         * @description Starts linking the signed-in user's identity at an enabled redirect connection (OpenID Connect, OAuth 2.0, the social presets, SAML) to their account. The answer's `url` is where to send the user's browser within `expires_at` (5 minutes): it must carry the hosted login's session of the same user (a sign-in that still owes a step does not count), goes to the upstream, and on return links the identity and shows "Your identity was linked". An identity already linked to another account is refused there and nothing changes. Nothing is linked by this call itself. `ldap` connections are linked by signing in through them (`400`). `404` for a connection that does not exist or is disabled; `409` when the user has an identity at that connection already.
         *
         *     Acts on the `default` tenant; `linkTenantMyIdentity` does the same for a named tenant, under `/t/{tenant}`.
         */
        post: operations["linkMyIdentity"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/identities/{connection_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Unlink one of my federated identities
         * @description Removes the signed-in user's identity at the connection: they can no longer sign in through it (signing in through it again would provision or link per the connection's rules). It is never the last way to sign in: without a password, a passkey (a discoverable WebAuthn credential, counted while the tenant's MFA policy is not `off`) and another identity, the answer is `409` (`urn:gatehouse:problem:last-sign-in-method`) and nothing changes. `404` when the user has no identity at that connection.
         *
         *     Acts on the `default` tenant; `unlinkTenantMyIdentity` does the same for a named tenant, under `/t/{tenant}`.
         */
        delete: operations["unlinkMyIdentity"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/factors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List my MFA factors
         * @description The signed-in user's enrolled second factors, oldest first, without any secret.
         *
         *     Acts on the `default` tenant; `listTenantMyMFAFactors` does the same for a named tenant, under `/t/{tenant}`.
         */
        get: operations["listMyMFAFactors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/factors/{factor_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description MFA factor ID. */
                factor_id: components["parameters"]["FactorIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove one of my MFA factors
         * @description Removes one of the signed-in user's factors; the user is told by email.
         *
         *     Needs a recent sign-in: the token's `auth_time` must be less than 5 minutes old, otherwise the answer is a 403
         *     `reauthentication-required` problem and the client signs the user in again (e.g. with `max_age=300`).
         *
         *     Acts on the `default` tenant; `deleteTenantMyMFAFactor` does the same for a named tenant, under `/t/{tenant}`.
         */
        delete: operations["deleteMyMFAFactor"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/factors/{factor_id}/name": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description MFA factor ID. */
                factor_id: components["parameters"]["FactorIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Rename one of my MFA factors
         * @description Gives one of the signed-in user's factors a new name ("YubiKey 5", "iPhone").
         *
         *     Needs a recent sign-in: the token's `auth_time` must be less than 5 minutes old, otherwise the answer is a 403
         *     `reauthentication-required` problem and the client signs the user in again (e.g. with `max_age=300`).
         *
         *     Acts on the `default` tenant; `renameTenantMyMFAFactor` does the same for a named tenant, under `/t/{tenant}`.
         */
        put: operations["renameMyMFAFactor"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start enrolling an authenticator app
         * @description Makes a new TOTP secret (RFC 6238: SHA-1, 6 digits, 30 seconds) and returns it with its `otpauth://` URL and
         *     that URL as a QR code (an SVG `data:` URI, made on the server). Nothing is stored as a factor until
         *     `confirmMyTOTPEnrolment` proves the app has the secret; the enrolment expires after 10 minutes.
         *
         *     Needs a recent sign-in: the token's `auth_time` must be less than 5 minutes old, otherwise the answer is a 403
         *     `reauthentication-required` problem and the client signs the user in again (e.g. with `max_age=300`).
         *
         *     Acts on the `default` tenant; `startTenantMyTOTPEnrolment` does the same for a named tenant, under `/t/{tenant}`.
         */
        post: operations["startMyTOTPEnrolment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/totp/{enrolment_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description ID of a started enrolment (from `startMyTOTPEnrolment` or `startMyWebAuthnRegistration`). */
                enrolment_id: components["parameters"]["EnrolmentIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm an authenticator app
         * @description Checks a code from the app against the enrolment's secret and, if it is right (one 30-second step of clock
         *     drift is allowed either way), stores the factor; that code cannot be used again. A wrong code is a 400
         *     `validation` problem on `/code`; after 5 wrong codes the enrolment is dead (404).
         *
         *     Needs a recent sign-in: the token's `auth_time` must be less than 5 minutes old, otherwise the answer is a 403
         *     `reauthentication-required` problem and the client signs the user in again (e.g. with `max_age=300`).
         *
         *     Acts on the `default` tenant; `confirmTenantMyTOTPEnrolment` does the same for a named tenant, under `/t/{tenant}`.
         */
        post: operations["confirmMyTOTPEnrolment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/webauthn": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start registering a passkey or security key
         * @description Returns the options for `navigator.credentials.create()` (WebAuthn, JSON with base64url members). With
         *     `discoverable` the authenticator is asked for a passkey that can sign in without a username. The user's
         *     registered authenticators are excluded. The registration expires after 10 minutes.
         *
         *     Needs a recent sign-in: the token's `auth_time` must be less than 5 minutes old, otherwise the answer is a 403
         *     `reauthentication-required` problem and the client signs the user in again (e.g. with `max_age=300`).
         *
         *     Acts on the `default` tenant; `startTenantMyWebAuthnRegistration` does the same for a named tenant, under `/t/{tenant}`.
         */
        post: operations["startMyWebAuthnRegistration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/webauthn/{enrolment_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description ID of a started enrolment (from `startMyTOTPEnrolment` or `startMyWebAuthnRegistration`). */
                enrolment_id: components["parameters"]["EnrolmentIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Finish registering a passkey or security key
         * @description Verifies the browser's `PublicKeyCredential` (JSON) against the registration and stores the authenticator as
         *     a factor. A response that does not verify (wrong origin or relying party, missing attestation where the
         *     tenant requires it) is a 400 `validation` problem on `/credential`.
         *
         *     Needs a recent sign-in: the token's `auth_time` must be less than 5 minutes old, otherwise the answer is a 403
         *     `reauthentication-required` problem and the client signs the user in again (e.g. with `max_age=300`).
         *
         *     Acts on the `default` tenant; `finishTenantMyWebAuthnRegistration` does the same for a named tenant, under `/t/{tenant}`.
         */
        post: operations["finishMyWebAuthnRegistration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/recovery-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make new recovery codes
         * @description Makes 10 new single-use recovery codes, replacing any earlier set, and returns them once: only keyed hashes
         *     are stored. The user is told by email.
         *
         *     Needs a recent sign-in: the token's `auth_time` must be less than 5 minutes old, otherwise the answer is a 403
         *     `reauthentication-required` problem and the client signs the user in again (e.g. with `max_age=300`).
         *
         *     Acts on the `default` tenant; `regenerateTenantMyRecoveryCodes` does the same for a named tenant, under `/t/{tenant}`.
         */
        post: operations["regenerateMyRecoveryCodes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/remembered-devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Forget my remembered devices
         * @description Revokes every device on which the user chose "remember this device": each of them asks for the second factor
         *     again at the next sign-in. It only makes the account safer, so it needs no recent sign-in.
         *
         *     Acts on the `default` tenant; `forgetTenantMyRememberedDevices` does the same for a named tenant, under `/t/{tenant}`.
         */
        delete: operations["forgetMyRememberedDevices"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/privacy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get my privacy choices
         * @description For each of the tenant's purposes: whether the signed-in user granted it, the version they agreed to, when, and whether they must be asked again (`reconsent_required`, after the purpose changed).
         *
         *     Acts on the `default` tenant; `getTenantMyPrivacy` does the same for a named tenant, under `/t/{tenant}`.
         */
        get: operations["getMyPrivacy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/privacy/purposes/{purpose_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Grant or withdraw my consent to a purpose
         * @description Records the signed-in user's decision for the purpose's current version in the append-only ledger (channel `api`) and answers with the new entry and its receipt ID. Granting again re-confirms (and answers a version bump). Withdrawing a required purpose is refused (409 `required-purpose`): leaving a required purpose means deleting the account. An unknown purpose is a 404.
         *
         *     Acts on the `default` tenant; `setTenantMyPrivacyPurpose` does the same for a named tenant, under `/t/{tenant}`.
         */
        put: operations["setMyPrivacyPurpose"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/privacy/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List my privacy ledger
         * @description The signed-in user's append-only consent ledger, oldest first: purpose, version, decision, time, channel, address, user agent and receipt ID of every decision.
         *
         *     Acts on the `default` tenant; `listTenantMyPrivacyHistory` does the same for a named tenant, under `/t/{tenant}`.
         */
        get: operations["listMyPrivacyHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/privacy/receipts/{receipt_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Consent receipt ID (the ledger entry's ID). */
                receipt_id: components["parameters"]["ReceiptIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get one of my consent receipts
         * @description The receipt of one of the signed-in user's ledger entries: a compact JWS signed with the tenant's token-signing key (verify it with the tenant's JWKS) holding the Kantara consent receipt fields. Another user's receipt is a 404.
         *
         *     Acts on the `default` tenant; `getTenantMyPrivacyReceipt` does the same for a named tenant, under `/t/{tenant}`.
         */
        get: operations["getMyPrivacyReceipt"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a data export
         * @description Starts a copy of everything Gatehouse holds about the signed-in user (GDPR Art. 15 and 20): profile, linked identities, MFA factors (metadata only), sessions, OAuth consents, the privacy ledger with receipts, known devices and the audit events about the user. The document is built in the background; poll `getMyExport` until `status` is `ready`. Exports expire after 7 days.
         *
         *     Acts on the `default` tenant; `startTenantMyExport` does the same for a named tenant, under `/t/{tenant}`.
         */
        post: operations["startMyExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/export/{export_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Data export ID. */
                export_id: components["parameters"]["ExportIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a data export
         * @description The export's status and, once `ready`, the JSON document. No secret is in it: no password hash, TOTP secret, recovery code or token. Another user's export, or one that has expired, is a 404.
         *
         *     Acts on the `default` tenant; `getTenantMyExport` does the same for a named tenant, under `/t/{tenant}`.
         */
        get: operations["getMyExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * Get my profile
         * @description The signed-in user, as the Admin API's `User`.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        get: operations["getTenantMe"];
        put?: never;
        post?: never;
        /**
         * Delete my account
         * @description Deletes the signed-in user with their credentials, after revoking all their sessions, refresh tokens
         *     and access tokens (this one included). The user re-authenticates: one with a password sends it as
         *     `current_password`, and a wrong or missing one is a 400 `validation` problem on `/current_password`
         *     that says only that the password is incorrect. A user without a password (signed in through a
         *     federated provider) needs an access token from a sign-in less than 5 minutes old (its `auth_time`);
         *     an older one is a 401 whose `WWW-Authenticate` carries `error="insufficient_user_authentication"`
         *     and `max_age=300` (RFC 9470): sign in again and retry.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        delete: operations["deleteTenantMe"];
        options?: never;
        head?: never;
        /**
         * Update my profile
         * @description Applies a JSON merge patch (RFC 7396) of the signed-in user's own profile (`MePatch`): names, contact
         *     and profile claims, and the custom attributes the tenant's `attribute_schema` declares user-writable
         *     (see `AttributeSchema`); the result must satisfy the schema. Email, username, verification flags,
         *     status and every other attribute are not the user's to change; naming them is a 400 `validation`
         *     problem (attributes under `/attributes/<name>`) and nothing changes. Changing `phone_number` clears `phone_number_verified`. Send the `ETag` of
         *     `getTenantMe` as `If-Match` to apply the change only if the user is unchanged since (else 412).
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        patch: operations["updateTenantMe"];
        trace?: never;
    };
    "/t/{tenant}/v1/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change my password
         * @description Replaces the signed-in user's password. `current_password` must be the present one: a wrong one (or a
         *     user without a password) is a 400 `validation` problem on `/current_password` that says only that the
         *     password is incorrect. `new_password` must pass the password policy (length, breached passwords, no
         *     identifiers); violations are field errors on `/new_password`. On success every session, refresh
         *     token and access token of the user is revoked, including the session and token of this request, so
         *     every device signs in again with the new password.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        post: operations["changeTenantMyPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/email": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start changing my email address
         * @description Mails a verification code and a link to `new_email`; the address changes only when `verifyTenantMyEmailChange`
         *     redeems the code, or the hosted page the link opens (`/email/confirm`) redeems the link. `current_password` must be the present one: a wrong one (or a user without a password) is a
         *     400 `validation` problem on `/current_password`. A new request replaces the pending one; within a minute
         *     of the last one it is a 429. Whether `new_email` is taken is only checked when the code is redeemed, so
         *     this answer says nothing about other accounts.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        post: operations["startTenantMyEmailChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/email/verify": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm my new email address
         * @description Redeems the code mailed by `startTenantMyEmailChange`: the user's email becomes the new address, verified,
         *     and a notice goes to the previous address. A wrong, expired or used code is a 400 `validation` problem
         *     on `/code`; five wrong codes kill it. An address another user of the tenant has taken since is a 409
         *     `conflict`, and the code is used up.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        post: operations["verifyTenantMyEmailChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List my sessions
         * @description The signed-in user's active browser sessions: not revoked and not past their absolute or idle expiry, ordered by creation time. The session the access token was issued under has `current: true`. A page may hold fewer than `limit` sessions; follow `next_cursor` to the end.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        get: operations["listTenantMySessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/sessions/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Session ID. */
                session_id: components["parameters"]["SessionIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Sign out one of my sessions
         * @description Ends one of the signed-in user's sessions: that browser must sign in again, and the refresh and access tokens issued under the session stop working at once. Revoking the `current` session revokes the token that made this call too. A session of another user is not found (404). Idempotent.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        delete: operations["revokeTenantMySession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List my organizations
         * @description The organizations the signed-in user is a member of, ordered by ID: what a client may pass as `organization=` at `/authorize` for this user.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        get: operations["listTenantMyOrganizations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/consents": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List my consents
         * @description The clients the signed-in user granted scopes to, with those scopes. Ordered by client ID.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        get: operations["listTenantMyConsents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/consents/{client_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke my consent to a client
         * @description Forgets the signed-in user's consent to the client, so the client must ask again, and revokes the refresh tokens the client holds for the user. 404 when the user has not consented to the client.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        delete: operations["revokeTenantMyConsent"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/identities": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List my federated identities
         * @description The signed-in user's identities at the tenant's connections (upstream identity providers and directories), by which they sign in through them. Ordered by connection ID.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        get: operations["listTenantMyIdentities"];
        put?: never;
        /**
         * Start linking an identity to my account
         * @description Starts linking the signed-in user's identity at an enabled redirect connection (OpenID Connect, OAuth 2.0, the social presets, SAML) to their account. The answer's `url` is where to send the user's browser within `expires_at` (5 minutes): it must carry the hosted login's session of the same user (a sign-in that still owes a step does not count), goes to the upstream, and on return links the identity and shows "Your identity was linked". An identity already linked to another account is refused there and nothing changes. Nothing is linked by this call itself. `ldap` connections are linked by signing in through them (`400`). `404` for a connection that does not exist or is disabled; `409` when the user has an identity at that connection already.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        post: operations["linkTenantMyIdentity"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/identities/{connection_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Unlink one of my federated identities
         * @description Removes the signed-in user's identity at the connection: they can no longer sign in through it (signing in through it again would provision or link per the connection's rules). It is never the last way to sign in: without a password, a passkey (a discoverable WebAuthn credential, counted while the tenant's MFA policy is not `off`) and another identity, the answer is `409` (`urn:gatehouse:problem:last-sign-in-method`) and nothing changes. `404` when the user has no identity at that connection.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        delete: operations["unlinkTenantMyIdentity"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/mfa/factors": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List my MFA factors
         * @description The signed-in user's enrolled second factors, oldest first, without any secret.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        get: operations["listTenantMyMFAFactors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/mfa/factors/{factor_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description MFA factor ID. */
                factor_id: components["parameters"]["FactorIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove one of my MFA factors
         * @description Removes one of the signed-in user's factors; the user is told by email.
         *
         *     Needs a recent sign-in: the token's `auth_time` must be less than 5 minutes old, otherwise the answer is a 403
         *     `reauthentication-required` problem and the client signs the user in again (e.g. with `max_age=300`).
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        delete: operations["deleteTenantMyMFAFactor"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/mfa/factors/{factor_id}/name": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description MFA factor ID. */
                factor_id: components["parameters"]["FactorIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Rename one of my MFA factors
         * @description Gives one of the signed-in user's factors a new name ("YubiKey 5", "iPhone").
         *
         *     Needs a recent sign-in: the token's `auth_time` must be less than 5 minutes old, otherwise the answer is a 403
         *     `reauthentication-required` problem and the client signs the user in again (e.g. with `max_age=300`).
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        put: operations["renameTenantMyMFAFactor"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/mfa/totp": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start enrolling an authenticator app
         * @description Makes a new TOTP secret (RFC 6238: SHA-1, 6 digits, 30 seconds) and returns it with its `otpauth://` URL and
         *     that URL as a QR code (an SVG `data:` URI, made on the server). Nothing is stored as a factor until
         *     `confirmMyTOTPEnrolment` proves the app has the secret; the enrolment expires after 10 minutes.
         *
         *     Needs a recent sign-in: the token's `auth_time` must be less than 5 minutes old, otherwise the answer is a 403
         *     `reauthentication-required` problem and the client signs the user in again (e.g. with `max_age=300`).
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        post: operations["startTenantMyTOTPEnrolment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/mfa/totp/{enrolment_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description ID of a started enrolment (from `startMyTOTPEnrolment` or `startMyWebAuthnRegistration`). */
                enrolment_id: components["parameters"]["EnrolmentIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm an authenticator app
         * @description Checks a code from the app against the enrolment's secret and, if it is right (one 30-second step of clock
         *     drift is allowed either way), stores the factor; that code cannot be used again. A wrong code is a 400
         *     `validation` problem on `/code`; after 5 wrong codes the enrolment is dead (404).
         *
         *     Needs a recent sign-in: the token's `auth_time` must be less than 5 minutes old, otherwise the answer is a 403
         *     `reauthentication-required` problem and the client signs the user in again (e.g. with `max_age=300`).
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        post: operations["confirmTenantMyTOTPEnrolment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/mfa/webauthn": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start registering a passkey or security key
         * @description Returns the options for `navigator.credentials.create()` (WebAuthn, JSON with base64url members). With
         *     `discoverable` the authenticator is asked for a passkey that can sign in without a username. The user's
         *     registered authenticators are excluded. The registration expires after 10 minutes.
         *
         *     Needs a recent sign-in: the token's `auth_time` must be less than 5 minutes old, otherwise the answer is a 403
         *     `reauthentication-required` problem and the client signs the user in again (e.g. with `max_age=300`).
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        post: operations["startTenantMyWebAuthnRegistration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/mfa/webauthn/{enrolment_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description ID of a started enrolment (from `startMyTOTPEnrolment` or `startMyWebAuthnRegistration`). */
                enrolment_id: components["parameters"]["EnrolmentIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Finish registering a passkey or security key
         * @description Verifies the browser's `PublicKeyCredential` (JSON) against the registration and stores the authenticator as
         *     a factor. A response that does not verify (wrong origin or relying party, missing attestation where the
         *     tenant requires it) is a 400 `validation` problem on `/credential`.
         *
         *     Needs a recent sign-in: the token's `auth_time` must be less than 5 minutes old, otherwise the answer is a 403
         *     `reauthentication-required` problem and the client signs the user in again (e.g. with `max_age=300`).
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        post: operations["finishTenantMyWebAuthnRegistration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/mfa/recovery-codes": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make new recovery codes
         * @description Makes 10 new single-use recovery codes, replacing any earlier set, and returns them once: only keyed hashes
         *     are stored. The user is told by email.
         *
         *     Needs a recent sign-in: the token's `auth_time` must be less than 5 minutes old, otherwise the answer is a 403
         *     `reauthentication-required` problem and the client signs the user in again (e.g. with `max_age=300`).
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        post: operations["regenerateTenantMyRecoveryCodes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/mfa/remembered-devices": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Forget my remembered devices
         * @description Revokes every device on which the user chose "remember this device": each of them asks for the second factor
         *     again at the next sign-in. It only makes the account safer, so it needs no recent sign-in.
         *
         *     Same as `forgetMyRememberedDevices`, for the tenant named by `tenant`.
         */
        delete: operations["forgetTenantMyRememberedDevices"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/privacy": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * Get my privacy choices
         * @description For each of the tenant's purposes: whether the signed-in user granted it, the version they agreed to, when, and whether they must be asked again (`reconsent_required`, after the purpose changed).
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        get: operations["getTenantMyPrivacy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/privacy/purposes/{purpose_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Grant or withdraw my consent to a purpose
         * @description Records the signed-in user's decision for the purpose's current version in the append-only ledger (channel `api`) and answers with the new entry and its receipt ID. Granting again re-confirms (and answers a version bump). Withdrawing a required purpose is refused (409 `required-purpose`): leaving a required purpose means deleting the account. An unknown purpose is a 404.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        put: operations["setTenantMyPrivacyPurpose"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/privacy/history": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        /**
         * List my privacy ledger
         * @description The signed-in user's append-only consent ledger, oldest first: purpose, version, decision, time, channel, address, user agent and receipt ID of every decision.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        get: operations["listTenantMyPrivacyHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/privacy/receipts/{receipt_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Consent receipt ID (the ledger entry's ID). */
                receipt_id: components["parameters"]["ReceiptIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get one of my consent receipts
         * @description The receipt of one of the signed-in user's ledger entries: a compact JWS signed with the tenant's token-signing key (verify it with the tenant's JWKS) holding the Kantara consent receipt fields. Another user's receipt is a 404.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        get: operations["getTenantMyPrivacyReceipt"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/export": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a data export
         * @description Starts a copy of everything Gatehouse holds about the signed-in user (GDPR Art. 15 and 20): profile, linked identities, MFA factors (metadata only), sessions, OAuth consents, the privacy ledger with receipts, known devices and the audit events about the user. The document is built in the background; poll `getTenantMyExport` until `status` is `ready`. Exports expire after 7 days.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        post: operations["startTenantMyExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{tenant}/v1/me/export/{export_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Data export ID. */
                export_id: components["parameters"]["ExportIdParam"];
            };
            cookie?: never;
        };
        /**
         * Get a data export
         * @description The export's status and, once `ready`, the JSON document. No secret is in it: no password hash, TOTP secret, recovery code or token. Another user's export, or one that has expired, is a 404.
         *
         *     Acts on the tenant `{tenant}`, whose issuer (`/t/{tenant}`) must have issued the token.
         */
        get: operations["getTenantMyExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description The counts of a directory sync; `seen` is the sum of the others. */
        ConnectionSyncResult: {
            /** @description Users the directory listed. */
            seen: number;
            /** @description Users provisioned and linked. */
            created: number;
            /** @description Linked users whose mapped profile changed. */
            updated: number;
            /** @description Linked users already up to date. */
            unchanged: number;
            /** @description Entries not imported (no email, the email belongs to another account, or `link_only`). */
            skipped: number;
        };
        /** @description One page of the signed-in user's federated identities. */
        FederatedIdentityList: {
            items: components["schemas"]["FederatedIdentity"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description The connection whose identity to link to the signed-in user. */
        IdentityLinkRequest: {
            connection_id: components["schemas"]["ConnectionId"];
        };
        /** @description Where to send the user's browser to link an identity. */
        IdentityLinkStart: {
            connection_id: components["schemas"]["ConnectionId"];
            /**
             * Format: uri
             * @description The hosted login's link page for this user and connection; single-purpose, valid until `expires_at`, and only for a browser signed in as this user.
             */
            url: string;
            /** Format: date-time */
            expires_at: string;
        };
        /**
         * @description The API's audience (RFC 8707 `resource`, the access token's `aud`) — an absolute URI without a fragment, unique in the tenant.
         * @example https://api.example.com/billing
         */
        ApiIdentifier: string;
        /** @description One permission an API defines. */
        ApiScope: {
            /**
             * @description The scope value, as requested in `scope` and carried in the token (no spaces or quotes).
             * @example invoices:read
             */
            value: string;
            /** @description What the scope allows, as the consent screen shows it. */
            description?: string;
        };
        /** @description The scopes the API defines, each value once. */
        ApiScopes: components["schemas"]["ApiScope"][];
        /** @description A type of rich authorization request details (RFC 9396) the API accepts. Clients send `authorization_details` entries with this `type` at the authorization, PAR and token endpoints; each entry must validate against `schema`, and the consent page describes it with `description`. */
        ApiAuthorizationDetailsType: {
            /**
             * @description The `type` value (unique in the tenant, across its APIs).
             * @example payment_initiation
             */
            type: string;
            /** @description What a detail of this type allows, as the consent page shows it before the detail's fields. */
            description?: string;
            /** @description A JSON Schema (draft 2020-12, at most 16 KiB, no external references) that each detail of this type must satisfy. It is compiled when the API is created or changed; an invalid schema is refused. */
            schema: Record<string, never>;
        };
        /** @description The rich authorization request types the API declares, each type once. */
        ApiAuthorizationDetailsTypes: components["schemas"]["ApiAuthorizationDetailsType"][];
        /**
         * @description The format of access tokens issued for the API.
         * @enum {string}
         */
        ApiTokenFormat: "jwt" | "opaque";
        /** @description An API (resource server) that accepts the tenant's access tokens. */
        Api: {
            /** @description API ID. */
            id: string;
            identifier: components["schemas"]["ApiIdentifier"];
            /** @description Display name. */
            name: string;
            scopes: components["schemas"]["ApiScopes"];
            /** @description Lifetime of the access tokens issued for this API. */
            access_token_lifetime_seconds: number;
            token_format: components["schemas"]["ApiTokenFormat"];
            /** @description Whether a user's token carries only the scopes the user's roles permit. */
            rbac: boolean;
            /** @description Whether tokens carry a `permissions` claim (the granted scope values, as an array). */
            permissions_in_token: boolean;
            authorization_details_types: components["schemas"]["ApiAuthorizationDetailsTypes"];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /**
             * Format: int64
             * @description Increases with every change; the ETag.
             */
            version: number;
        };
        /** @description A new API. */
        ApiCreate: {
            identifier: components["schemas"]["ApiIdentifier"];
            /** @description Display name, 1 to 200 characters. */
            name: string;
            scopes?: components["schemas"]["ApiScopes"];
            /** @description Lifetime of the access tokens issued for this API, 60 to 86400 seconds; 3600 when absent. */
            access_token_lifetime_seconds?: number;
            token_format?: components["schemas"]["ApiTokenFormat"];
            /** @description Enforce roles (false when absent). */
            rbac?: boolean;
            /** @description Add a `permissions` claim (false when absent). */
            permissions_in_token?: boolean;
            authorization_details_types?: components["schemas"]["ApiAuthorizationDetailsTypes"];
        };
        /** @description Changes to an API (JSON merge patch). `identifier` cannot change. */
        ApiPatch: {
            /** @description Display name. */
            name?: string;
            scopes?: components["schemas"]["ApiScopes"];
            /** @description Lifetime of the access tokens, 60 to 86400 seconds. */
            access_token_lifetime_seconds?: number;
            token_format?: components["schemas"]["ApiTokenFormat"];
            /** @description Enforce roles. */
            rbac?: boolean;
            /** @description Add a `permissions` claim. */
            permissions_in_token?: boolean;
            authorization_details_types?: components["schemas"]["ApiAuthorizationDetailsTypes"];
        };
        /** @description One page of APIs. */
        ApiList: {
            items: components["schemas"]["Api"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description Scope values of one API, each once. */
        ApiScopeValues: string[];
        /** @description The scopes of one API that a client may get with client credentials. */
        ClientApiGrant: {
            /** @description API ID. */
            api_id: string;
            identifier: components["schemas"]["ApiIdentifier"];
            scopes: components["schemas"]["ApiScopeValues"];
        };
        /** @description The scopes to grant; each must be one the API defines. */
        ClientApiGrantPut: {
            scopes: components["schemas"]["ApiScopeValues"];
        };
        /** @description One page of a client's API grants. */
        ClientApiGrantList: {
            items: components["schemas"]["ClientApiGrant"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description One scope of one API. */
        Permission: {
            api: components["schemas"]["ApiIdentifier"];
            /**
             * @description A scope value the API defines.
             * @example invoices:read
             */
            scope: string;
        };
        /** @description A role's permissions, each once. */
        Permissions: components["schemas"]["Permission"][];
        /** @description A named set of permissions that users are assigned. */
        Role: {
            /** @description Role ID. */
            id: string;
            /** @description Unique in the tenant. */
            name: string;
            /** @description What the role is for. */
            description: string;
            permissions: components["schemas"]["Permissions"];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /**
             * Format: int64
             * @description Increases with every change; the ETag.
             */
            version: number;
        };
        /** @description A new role. */
        RoleCreate: {
            /** @description Unique in the tenant, 1 to 100 characters. */
            name: string;
            /** @description What the role is for. */
            description?: string;
            permissions?: components["schemas"]["Permissions"];
        };
        /** @description Changes to a role (JSON merge patch); `permissions` replaces the list. */
        RolePatch: {
            /** @description Unique in the tenant. */
            name?: string;
            /** @description What the role is for. */
            description?: string;
            permissions?: components["schemas"]["Permissions"];
        };
        /** @description One page of roles. */
        RoleList: {
            items: components["schemas"]["Role"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description Roles to assign, by ID. */
        UserRolesAssign: {
            roles: string[];
        };
        /**
         * @description The organization's slug, unique in the tenant: lowercase letters, digits and inner hyphens, 1 to 63 characters. Sent as `organization=` at `/authorize` and put in tokens as `org_name`.
         * @example acme-corp
         */
        OrganizationName: string;
        /** @description Connections (by ID) the members may sign in with when a sign-in names the organization; empty for the tenant's usual choices. Each must exist in the tenant. */
        OrganizationConnections: components["schemas"]["ConnectionId"][];
        /** @description The organization's email domains. */
        OrganizationDomains: string[];
        /** @description One of the tenant's customer companies (B2B). */
        Organization: {
            /** @description Organization ID; tokens carry it as `org_id`. */
            id: string;
            name: components["schemas"]["OrganizationName"];
            /** @description Shown on the hosted pages and the organization picker. */
            display_name: string;
            branding: components["schemas"]["Branding"];
            connections: components["schemas"]["OrganizationConnections"];
            domains: components["schemas"]["OrganizationDomains"];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /**
             * Format: int64
             * @description Increases with every change; the ETag.
             */
            version: number;
        };
        /** @description A new organization. */
        OrganizationCreate: {
            name: components["schemas"]["OrganizationName"];
            /** @description Shown on the hosted pages; defaults to `name`. */
            display_name?: string;
            branding?: components["schemas"]["Branding"];
            connections?: components["schemas"]["OrganizationConnections"];
            domains?: components["schemas"]["OrganizationDomains"];
        };
        /** @description Changes to an organization (JSON merge patch); `connections` and `domains` replace the lists. */
        OrganizationPatch: {
            name?: components["schemas"]["OrganizationName"];
            /** @description Shown on the hosted pages. */
            display_name?: string;
            branding?: components["schemas"]["Branding"];
            connections?: components["schemas"]["OrganizationConnections"];
            domains?: components["schemas"]["OrganizationDomains"];
        };
        /** @description One page of organizations. */
        OrganizationList: {
            items: components["schemas"]["Organization"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description Whom to invite into the organization, and with which roles. */
        OrganizationInvitationCreate: {
            /**
             * Format: email
             * @description The address the invitation is mailed to; only a user with this email address accepts it.
             */
            email: string;
            /** @description Role IDs of the tenant the person gets in the organization. */
            roles?: string[];
            /** @description How long the link stays valid; 7 days when absent. */
            expires_in_seconds?: number;
        };
        /** @description An invitation into an organization. Its token is only in the mail. */
        OrganizationInvitation: {
            id: string;
            org_id: string;
            /** Format: email */
            email: string;
            roles: string[];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at: string;
        };
        /** @description One page of open invitations. */
        OrganizationInvitationList: {
            items: components["schemas"]["OrganizationInvitation"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description The user to make a member. */
        OrganizationMemberAdd: {
            /** @description A user of the tenant. */
            user_id: string;
        };
        /** @description A user's membership of an organization. */
        OrganizationMember: {
            user_id: string;
            /** Format: date-time */
            joined_at: string;
        };
        /** @description One page of members. */
        OrganizationMemberList: {
            items: components["schemas"]["OrganizationMember"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description An organization the user is a member of. */
        AccountOrganization: {
            /** @description The value of `organization=` (or `name`). */
            id: string;
            name: components["schemas"]["OrganizationName"];
            display_name: string;
        };
        /** @description One page of the user's organizations. */
        AccountOrganizationList: {
            items: components["schemas"]["AccountOrganization"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description RFC 9457 problem details. Further members may be added; clients must ignore members they do not know.
         *
         *     Stable problem types (clients may switch on them):
         *
         *     | type | status |
         *     | --- | --- |
         *     | `urn:gatehouse:problem:validation` | 400 |
         *     | `urn:gatehouse:problem:malformed-json` | 400 |
         *     | `urn:gatehouse:problem:unauthorized` | 401 |
         *     | `urn:gatehouse:problem:invalid-credentials` | 401 |
         *     | `urn:gatehouse:problem:mfa-invalid` | 401 |
         *     | `urn:gatehouse:problem:forbidden` | 403 |
         *     | `urn:gatehouse:problem:mfa-required` | 403 |
         *     | `urn:gatehouse:problem:not-found` | 404 |
         *     | `urn:gatehouse:problem:method-not-allowed` | 405 |
         *     | `urn:gatehouse:problem:conflict` | 409 |
         *     | `urn:gatehouse:problem:idempotency-conflict` | 409 |
         *     | `urn:gatehouse:problem:mfa-challenge-expired` | 410 |
         *     | `urn:gatehouse:problem:precondition-failed` | 412 |
         *     | `urn:gatehouse:problem:payload-too-large` | 413 |
         *     | `urn:gatehouse:problem:unsupported-media-type` | 415 |
         *     | `urn:gatehouse:problem:rate-limited` | 429 |
         *     | `urn:gatehouse:problem:internal` | 500 |
         *     | `urn:gatehouse:problem:unavailable` | 503 |
         */
        Problem: {
            /**
             * Format: uri
             * @description URI identifying the problem type; see the table above.
             * @example urn:gatehouse:problem:validation
             */
            type: string;
            /**
             * @description Short, human-readable summary of the problem type.
             * @example Invalid request
             */
            title: string;
            /**
             * @description The HTTP status code.
             * @example 400
             */
            status: number;
            /**
             * @description Explanation specific to this occurrence.
             * @example The request body is invalid.
             */
            detail?: string;
            /**
             * Format: uri-reference
             * @description URI reference of this occurrence (the request path).
             * @example /admin/v1/users
             */
            instance?: string;
            /**
             * @description ID of the request, also sent as the `X-Request-ID` response header; quote it when reporting a problem.
             * @example 01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f
             */
            request_id?: string;
            /** @description Field-level errors (validation problems). */
            errors?: components["schemas"]["FieldError"][];
        } & {
            [key: string]: unknown;
        };
        /** @description One invalid field. */
        FieldError: {
            /**
             * @description JSON pointer (RFC 6901) to the offending member of the request body, or the name of the offending parameter.
             * @example /email
             */
            field: string;
            /**
             * @description What is wrong with it.
             * @example must be a valid email address
             */
            message: string;
        };
        /** @description A purpose's ID: lowercase letters, digits, `_` and `-`, starting with a letter or digit, 1 to 64 characters. */
        PurposeId: string;
        /**
         * @description The GDPR Art. 6(1) basis of the processing.
         * @enum {string}
         */
        LegalBasis: "consent" | "contract" | "legitimate_interest" | "legal_obligation";
        /** @description Something the tenant processes personal data for. */
        PrivacyPurpose: {
            id: components["schemas"]["PurposeId"];
            /** @description Shown to users. */
            name: string;
            /** @description What the data is used for, shown to users. */
            description: string;
            legal_basis: components["schemas"]["LegalBasis"];
            /** @description Must be accepted to have an account. */
            required: boolean;
            /**
             * Format: int64
             * @description Starts at 1; the server bumps it when the name, description or legal basis change materially, which asks users again.
             */
            version: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description A new purpose. */
        PrivacyPurposeCreate: {
            id: components["schemas"]["PurposeId"];
            name: string;
            description?: string;
            legal_basis: components["schemas"]["LegalBasis"];
            /** @description Must be accepted to register; default false. */
            required?: boolean;
        };
        /** @description The purpose's new content (the whole of it; `description` and `required` default to empty and false). */
        PrivacyPurposeUpdate: {
            name: string;
            description?: string;
            legal_basis: components["schemas"]["LegalBasis"];
            required?: boolean;
        };
        /** @description One page of purposes. */
        PrivacyPurposeList: {
            items: components["schemas"]["PrivacyPurpose"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description A purpose and the person's current decision about it. */
        PrivacyPurposeState: {
            purpose_id: components["schemas"]["PurposeId"];
            name: string;
            description: string;
            legal_basis: components["schemas"]["LegalBasis"];
            required: boolean;
            /**
             * Format: int64
             * @description The purpose's current version.
             */
            version: number;
            /** @description The person's last decision; false when they never decided. */
            granted: boolean;
            /**
             * Format: int64
             * @description The purpose version of the last decision; null when none.
             */
            agreed_version: number | null;
            /**
             * Format: date-time
             * @description When the last decision was made; null when none.
             */
            at: string | null;
            /** @description The receipt of the last decision; null when none. */
            receipt_id: string | null;
            /** @description The person must be asked (again): they granted an older version, or the purpose is required and not granted. */
            reconsent_required: boolean;
        };
        /** @description A person's decisions, one per purpose of the tenant, ordered by purpose ID. */
        PrivacyState: {
            purposes: components["schemas"]["PrivacyPurposeState"][];
        };
        /** @description Grant (true) or withdraw (false) consent to the purpose's current version. */
        PrivacyDecision: {
            granted: boolean;
        };
        /** @description A decision recorded by an administrator for the user, with where it is documented. */
        PrivacyDecisionAdmin: {
            granted: boolean;
            /** @description Where the user's decision is documented (a ticket, a signed form), 1 to 1000 characters. */
            evidence: string;
        };
        /**
         * @description Where a decision was made.
         * @enum {string}
         */
        PrivacyChannel: "registration" | "preference_centre" | "api" | "admin";
        /** @description One decision in the append-only consent ledger. */
        PrivacyLedgerEntry: {
            /** @description The entry's ID (also its receipt's). */
            id: string;
            purpose_id: components["schemas"]["PurposeId"];
            /**
             * Format: int64
             * @description The purpose version decided on.
             */
            version: number;
            granted: boolean;
            /** Format: date-time */
            at: string;
            channel: components["schemas"]["PrivacyChannel"];
            /** @description The client's address, when known. */
            ip?: string;
            /** @description The client's User-Agent, when known. */
            user_agent?: string;
            /** @description The API key that recorded an `admin` decision. */
            actor_id?: string;
            /** @description Where an `admin` decision is documented. */
            evidence?: string;
            receipt_id: string;
        };
        /** @description One page of the consent ledger, oldest first. */
        PrivacyHistory: {
            items: components["schemas"]["PrivacyLedgerEntry"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description A data export that was accepted. */
        DataExportStarted: {
            id: string;
            /** @enum {string} */
            status: "pending";
        };
        /** @description A data export: its status and, once `ready`, the document (GDPR Art. 15 and 20). */
        DataExport: {
            id: string;
            /**
             * @description `pending` while it is built, `ready` with `document`, `failed` if it could not be built (start another).
             * @enum {string}
             */
            status: "pending" | "ready" | "failed";
            /** Format: date-time */
            created_at: string;
            /**
             * Format: date-time
             * @description When the export is deleted (7 days after it was started).
             */
            expires_at: string;
            /** @description The copy, once `ready`: `format` (`gatehouse-export/1`), `generated_at`, `tenant`, `profile`, `identities`, `mfa_factors` (metadata only), `sessions`, `oauth_consents`, `privacy` (`decisions`, `ledger` with each receipt JWS), `devices` (the sign-in history's known devices) and `audit_events` (about the user, newest first). */
            document?: {
                [key: string]: unknown;
            };
        };
        /** @description A consent receipt (Kantara Consent Receipt v1.1 fields) as a compact JWS signed with the tenant's token-signing key. */
        PrivacyReceipt: {
            receipt_id: string;
            /** @description Compact JWS (typ `JWT`); its claims: `iss`, `sub`, `iat`, `jti`, `version`, `jurisdiction`, `consentTimestamp`, `collectionMethod`, `consentReceiptID`, `piiPrincipalId`, `piiControllers`, `services` (purposes with `purposeId`, `purposeVersion`, `legalBasis`, `granted`), `sensitive`. */
            jws: string;
        };
        /** @description Pass as `cursor` to get the next page; null on the last page. */
        NextCursor: string | null;
        /**
         * @description URL-safe tenant identifier: lowercase letters, digits and inner hyphens, 1 to 63 characters.
         * @example acme
         */
        TenantSlug: string;
        /**
         * @description Where the tenant's customer data lives (data residency). Empty means the server's home region.
         * @example eu-west
         */
        Region: string;
        /**
         * @description Where the tenant's new users' personal data is stored, among the server's regions (`GATEHOUSE_REGIONS`,
         *     docs/privacy.md). `fixed` puts everyone in `region`; `by_country` looks the request's address up in the GeoIP
         *     database (`GATEHOUSE_GEOIP_DB`) and uses `countries` (ISO 3166-1 alpha-2 code → region), else `fallback`
         *     (also when there is no GeoIP database); `choice` lets the person pick one of `regions` on the registration
         *     form (`region` of `registerUser`), and puts users who did not pick (federated sign-ins, the Admin API) in
         *     the first listed. It applies at self-registration and at the first federated sign-in; the Admin API's
         *     explicit `region` on a user wins. Every region named must be configured (a `validation` error under
         *     `/residency` otherwise, and nothing is changed). Existing users stay where they are (see `moveUser`).
         * @example {
         *       "mode": "fixed",
         *       "region": "eu"
         *     }
         * @example {
         *       "mode": "by_country",
         *       "countries": {
         *         "DE": "eu",
         *         "FR": "eu",
         *         "US": "us"
         *       },
         *       "fallback": "eu"
         *     }
         * @example {
         *       "mode": "choice",
         *       "regions": [
         *         "eu",
         *         "us"
         *       ]
         *     }
         */
        Residency: {
            /** @enum {string} */
            mode: "fixed" | "by_country" | "choice";
            /** @description For `fixed`, the region. */
            region?: components["schemas"]["RegionName"];
            /**
             * @description For `by_country`, country code → region; 1 to 250 entries.
             * @example {
             *       "DE": "eu",
             *       "FR": "eu",
             *       "US": "us"
             *     }
             */
            countries?: {
                [key: string]: components["schemas"]["RegionName"];
            };
            /** @description For `by_country`, the region of a request whose country is unknown or unlisted. */
            fallback?: components["schemas"]["RegionName"];
            /** @description For `choice`, the regions a person may pick from, in the order shown. */
            regions?: components["schemas"]["RegionName"][];
        };
        /**
         * @description A region of `GATEHOUSE_REGIONS`.
         * @example eu
         */
        RegionName: string;
        /**
         * @description A JSON Schema (draft 2020-12) that every user's `attributes` must satisfy.
         *
         *     It also says which attributes users may set themselves, at self-registration (`registerUser`, the
         *     hosted registration page) and through the account API (`updateMe`): exactly the members of the
         *     schema's top-level `properties` (also reached through a top-level `$ref` or `allOf`) that are not
         *     marked `"readOnly": true`. Everything else, undeclared attributes and `readOnly` ones, is set through
         *     the Admin API only: mark entitlements such as a plan or roles `readOnly`, so that no user can grant
         *     them to themselves. A user who sends one gets a `validation` error naming `/attributes/<name>`. A
         *     tenant without a schema lets users set no attributes at all.
         * @example {
         *       "type": "object",
         *       "properties": {
         *         "department": {
         *           "type": "string",
         *           "title": "Department"
         *         },
         *         "plan": {
         *           "type": "string",
         *           "enum": [
         *             "free",
         *             "pro",
         *             "enterprise"
         *           ],
         *           "readOnly": true
         *         }
         *       }
         *     }
         */
        AttributeSchema: {
            [key: string]: unknown;
        };
        /** @description An isolated customer realm with its own users, clients and API keys. */
        Tenant: {
            /** @description Tenant ID. */
            id: string;
            slug: components["schemas"]["TenantSlug"];
            /**
             * @description Human-readable name; may be empty.
             * @example Acme Corp
             */
            display_name: string;
            region: components["schemas"]["Region"];
            /** @description JSON Schema for custom user attributes; null when any JSON object is accepted. */
            attribute_schema: components["schemas"]["AttributeSchema"] | null;
            branding: components["schemas"]["Branding"];
            onboarding: components["schemas"]["Onboarding"];
            mfa: components["schemas"]["MFAPolicy"];
            retention?: components["schemas"]["Retention"];
            /**
             * @description Identifier of the tenant's default API (RFC 8707 audience), null for none. A token request that names no `resource` but asks for at least one scope this API defines gets a token for it; requests for OpenID scopes only are unaffected.
             * @example https://api.example.com/billing
             */
            default_api?: string | null;
            dcr?: components["schemas"]["DCRMode"];
            /** @description Registrations must carry a `software_statement` signed by a key of `dcr_software_statement_jwks`; its claims override the request's metadata. */
            dcr_require_software_statement?: boolean;
            /** @description The keys that sign software statements (RFC 7591 §2.3); null when none. A statement is verified whenever one is sent and these are set. */
            dcr_software_statement_jwks?: components["schemas"]["Jwks"] | null;
            /** @description The data-residency policy for new users; absent when the tenant has none (the server's default region). */
            residency?: components["schemas"]["Residency"];
            /**
             * Format: date-time
             * @description When the tenant was created.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When the tenant was last changed.
             */
            updated_at: string;
            /**
             * Format: int64
             * @description Revision counter, bumped on every change. The `ETag` is derived from it.
             * @example 1
             */
            version: number;
        };
        /** @description A new tenant. */
        TenantCreate: {
            slug: components["schemas"]["TenantSlug"];
            /**
             * @description Human-readable name.
             * @example Acme Corp
             */
            display_name?: string;
            region?: components["schemas"]["Region"];
            attribute_schema?: components["schemas"]["AttributeSchema"];
            branding?: components["schemas"]["Branding"];
            onboarding?: components["schemas"]["Onboarding"];
            mfa?: components["schemas"]["MFAPolicy"];
            retention?: components["schemas"]["Retention"];
            residency?: components["schemas"]["Residency"];
        };
        /** @description How the tenant's hosted pages (login, consent, device) look. Text colours are adjusted automatically so contrast stays at WCAG AA. */
        Branding: {
            /**
             * @description Logo shown on the hosted pages (https, or http on localhost). Empty for none.
             * @example https://acme.example/logo.svg
             */
            logo_uri?: string;
            /**
             * @description Brand colour as `#rrggbb`. Empty for the default.
             * @example #0f766e
             */
            primary_color?: string;
        };
        /**
         * @description A tenant's risk policy. Scores of the rules that fire are summed: at `challenge_score` the sign-in needs a
         *     step-up (the user's strongest factor, or an email code), at `deny_score` it is refused; some rules
         *     demand a decision on their own (a lock denies, a new device challenges). In a request, absent members
         *     take their defaults; in a response all are present.
         */
        RiskPolicy: {
            /** @description Shadow mode. Rules are evaluated and recorded with what they would have done, but every sign-in is allowed. Default false. */
            shadow?: boolean;
            /**
             * @description Score at which a sign-in is challenged. Default 50.
             * @example 50
             */
            challenge_score?: number;
            /**
             * @description Score at which a sign-in is denied; not below `challenge_score`. Default 200.
             * @example 200
             */
            deny_score?: number;
            /**
             * @description Sliding window of the failure counters. Default 900.
             * @example 900
             */
            failure_window_seconds?: number;
            /**
             * @description Failures of one account from one source (address, or a device the user signed in from) after which each further failure doubles a wait, starting at `backoff_base_seconds`. Default 3.
             * @example 3
             */
            pair_backoff_after?: number;
            /**
             * @description First back-off wait. Default 1.
             * @example 1
             */
            backoff_base_seconds?: number;
            /**
             * @description Failures of one account from one source after which that pair (never the account) is locked for `pair_lock_seconds`. Default 10.
             * @example 10
             */
            pair_lock_after?: number;
            /**
             * @description Length of a pair lock. Default 900.
             * @example 900
             */
            pair_lock_seconds?: number;
            /**
             * @description Failures on one account (all sources) after which every sign-in to it from a device it never used is challenged. Default 20.
             * @example 20
             */
            account_challenge_after?: number;
            /**
             * @description Failures from one address that add a velocity score. Default 30.
             * @example 30
             */
            ip_failures?: number;
            /**
             * @description Failures from one /24 (IPv4) or /48 (IPv6) that add a velocity score. Default 100.
             * @example 100
             */
            subnet_failures?: number;
            /**
             * @description Distinct accounts tried from one address, with a failure ratio of at least `stuffing_failure_percent`, that flag it for credential stuffing for the window. Default 10.
             * @example 10
             */
            stuffing_accounts?: number;
            /**
             * @description The same for a /24 or /48 network. Default 30.
             * @example 30
             */
            stuffing_subnet_accounts?: number;
            /**
             * @description Failure ratio (percent) of a flagged source. Default 80.
             * @example 80
             */
            stuffing_failure_percent?: number;
            /**
             * @description Attempts per minute a flagged address may still make (each one challenged). Default 10.
             * @example 10
             */
            stuffing_throttle_per_minute?: number;
            /**
             * @description Distinct accounts on which one password failed, from any source, that flag the password for spraying. Default 10.
             * @example 10
             */
            spray_accounts?: number;
            /**
             * @description Window of the spraying count. Default 3600.
             * @example 3600
             */
            spray_window_seconds?: number;
            /**
             * @description Impossible travel: speed between the last successful sign-in and this attempt above which the rule fires. Default 1000.
             * @example 1000
             */
            max_travel_kmh?: number;
            /**
             * @description Sign-in of a user with history from a device they never used. Default `score`: the new device adds 40 to the score, so alone (from a known network) it is allowed, and together with a new network, an unusual hour, velocity or repeated failures it reaches `challenge_score`. `challenge` challenges every new device. Any action but `off` also asks the login to notify the user.
             * @enum {string}
             */
            new_device?: "off" | "notify" | "score" | "challenge" | "deny";
            /**
             * @description Sign-in from a country the user never signed in from. Default `challenge`.
             * @enum {string}
             */
            new_country?: "off" | "notify" | "challenge" | "deny";
            /**
             * @description Impossible travel. Default `challenge`.
             * @enum {string}
             */
            impossible_travel?: "off" | "notify" | "challenge" | "deny";
            /**
             * @description Attempts from a source flagged for credential stuffing. Default `challenge` (and the source is throttled).
             * @enum {string}
             */
            credential_stuffing?: "off" | "notify" | "challenge" | "deny";
            /**
             * @description Attempts with a password flagged for spraying. Default `challenge`.
             * @enum {string}
             */
            password_spraying?: "off" | "notify" | "challenge" | "deny";
            /**
             * @description A password on the breached list: `notify` (default) lets a correct one in and requires a password change; `off` ignores the list.
             * @enum {string}
             */
            breached_password?: "off" | "notify";
            /**
             * @description Trusted networks (CIDRs or addresses). Their attempts skip the source velocity and stuffing rules and the deny list.
             * @example [
             *       "10.0.0.0/8"
             *     ]
             */
            allow_cidrs?: string[];
            /**
             * @description Networks whose sign-ins are denied (e.g. Tor exits), unless also in `allow_cidrs`.
             * @example [
             *       "192.0.2.0/24",
             *       "2001:db8::/32"
             *     ]
             */
            deny_cidrs?: string[];
        };
        /** @description A device, country or network the user signed in from. */
        RiskSeen: {
            /** @description The device ID, ISO 3166-1 country code, or network (/24 or /48). */
            value: string;
            /** Format: date-time */
            first_seen_at: string;
            /** Format: date-time */
            last_seen_at: string;
            /** @description Successful sign-ins from it. */
            sign_ins: number;
        };
        /** @description Where and when a successful sign-in happened. */
        RiskSignIn: {
            /** Format: date-time */
            at: string;
            ip?: string;
            /** @description ISO 3166-1 alpha-2 code, when the GeoIP database knows the address. */
            country?: string;
            /** Format: double */
            latitude?: number;
            /** Format: double */
            longitude?: number;
            /** @description The factor that completed the sign-in. */
            factor?: string;
        };
        /** @description A source locked out of the account after repeated failures. */
        RiskLockedSource: {
            /** @description `ip:ADDRESS`, or `device:ID` for a device the user signed in from. */
            source: string;
            retry_after_seconds: number;
        };
        /** @description What the risk engine knows about a user. */
        RiskSummary: {
            user_id: string;
            known_devices: components["schemas"]["RiskSeen"][];
            known_countries: components["schemas"]["RiskSeen"][];
            known_networks: components["schemas"]["RiskSeen"][];
            /** @description UTC hours (0-23) in which the user has signed in. */
            usual_hours_utc: number[];
            successful_sign_ins: number;
            /** @description The last successful sign-in, null before the first. */
            last_sign_in: components["schemas"]["RiskSignIn"] | null;
            failure_window_seconds: number;
            /** @description Failed attempts on the account in the current window, from all sources. */
            account_failures: number;
            locked_sources: components["schemas"]["RiskLockedSource"][];
        };
        /**
         * @description How people join and sign in to the tenant. In a create or patch, members present replace and absent
         *     members are left unchanged (defaults on create).
         */
        Onboarding: {
            /** @description Whether self-service registration is open (default true). Off, the registration pages and `registerUser` answer 404, as they do when `GATEHOUSE_REGISTRATION` is off. */
            registration_enabled?: boolean;
            /** @description Whether users whose email is unverified may sign in (default true). Off, they are asked to verify first (after a correct password) and a fresh code is mailed. */
            allow_unverified_sign_in?: boolean;
            /**
             * @description The current terms version. When set, registration requires accepting it, and the user records the version and when (`terms_version`, `terms_accepted_at`). Empty for none.
             * @example 2026-05
             */
            terms_version?: string;
            /**
             * @description Where the terms are published (https), linked from the registration page. Empty for none; requires `terms_version`.
             * @example https://acme.example/terms
             */
            terms_uri?: string;
        };
        /** @description Changes to a tenant (JSON merge patch, RFC 7396). Absent members are left unchanged. */
        TenantPatch: {
            /** @description Human-readable name. */
            display_name?: string;
            region?: components["schemas"]["Region"];
            /** @description Replaces the attribute schema; null removes it. Existing users are not re-validated. */
            attribute_schema?: components["schemas"]["AttributeSchema"] | null;
            branding?: components["schemas"]["Branding"];
            onboarding?: components["schemas"]["Onboarding"];
            mfa?: components["schemas"]["MFAPolicy"];
            retention?: components["schemas"]["Retention"];
            /**
             * @description Identifier of an API of this tenant to make its default API; null removes the default. An identifier no API of the tenant has is refused (400).
             * @example https://api.example.com/billing
             */
            default_api?: string | null;
            dcr?: components["schemas"]["DCRMode"];
            /** @description Registrations must carry a `software_statement` signed by a key of `dcr_software_statement_jwks`; its claims override the request's metadata. */
            dcr_require_software_statement?: boolean;
            /** @description The keys that sign software statements (RFC 7591 §2.3); null when none. A statement is verified whenever one is sent and these are set. */
            dcr_software_statement_jwks?: components["schemas"]["Jwks"] | null;
            /** @description Replaces the data-residency policy as a whole; null removes it. Existing users are not moved. */
            residency?: components["schemas"]["Residency"] | null;
        };
        /**
         * @description How long the tenant keeps what it no longer needs (GDPR Art. 5(1)(e), storage limitation), in days; 0 or absent
         *     keeps it. A background job enforces it (docs/privacy.md). In a create or patch, members present replace and
         *     absent members are left unchanged.
         */
        Retention: {
            /**
             * @description Audit events older than this are purged. The chain stays verifiable: the purge is recorded as an
             *     `audit.purged` event and a checkpoint, from which `gatehouse audit verify` starts.
             * @example 365
             */
            audit_events_days?: number;
            /**
             * @description Sessions revoked or expired longer ago than this are deleted.
             * @example 30
             */
            ended_sessions_days?: number;
            /**
             * @description Accounts with neither a verified email nor a verified phone, unchanged and not signed in to for this
             *     long, are erased (as by the Admin API's user delete, with a `user.erased` event, `by` `retention`).
             * @example 90
             */
            unverified_accounts_days?: number;
        };
        /**
         * @description The tenant's multi-factor policy. In a create or patch, members present replace and absent members are left
         *     unchanged (defaults on create: MFA optional, authenticator apps, passkeys and recovery codes allowed, email
         *     codes and SMS off).
         */
        MFAPolicy: {
            /**
             * @description `off` (no second factor is asked), `optional` (users may enrol; those who did are asked), `required` (everyone), or `conditional` (users with one of `required_roles`, or signing in to one of `required_clients`).
             * @enum {string}
             */
            mode?: "off" | "optional" | "required" | "conditional";
            /**
             * @description For `conditional`, the roles (custom attribute `roles`, an array of strings) that need MFA.
             * @example [
             *       "admin"
             *     ]
             */
            required_roles?: string[];
            /** @description For `conditional`, the client IDs whose sign-ins need MFA. */
            required_clients?: string[];
            /** @description Users with one of these roles must use a passkey or security key (ACR `phr`), whatever the mode except `off`. */
            phishing_resistant_roles?: string[];
            /**
             * @description When MFA is required, how long a user without a factor may still skip enrolment, counted from the later of their creation and the moment the policy started requiring MFA. A Go duration (`168h`); empty or `0s` for none.
             * @example 168h
             */
            grace_period?: string;
            /** @description Whether a code mailed to the user's verified address counts as a second factor. */
            allow_email_otp?: boolean;
            /** @description Whether SMS codes, sent through `sms_webhook_url`, count as a second factor. SMS is weak (phishable, SIM-swappable) and off by default. */
            allow_sms?: boolean;
            /**
             * @description The tenant's SMS sender: Gatehouse POSTs `{"to", "code", "tenant"}` as JSON, signed with HMAC-SHA256 in `X-Gatehouse-Signature` (see docs/mfa.md). https (or http on localhost); empty for none.
             * @example https://sms.acme.example/gatehouse
             */
            sms_webhook_url?: string;
            /** @description For how many days a user may skip the second factor on a device they marked as remembered; 0 turns the option off. */
            remember_device_days?: number;
            /** @description Whether a federated sign-in whose upstream asserted a multi-factor sign-in counts as one here (session `amr` `["fed","mfa"]`, ACR `mfa`, no second factor asked). The upstream's `amr` must contain `mfa`, or `otp` or `hwk` together with another method (e.g. `["pwd","otp"]`). Default false (the second factor is asked after every federated sign-in the policy requires it for). Trust it only for upstreams whose MFA you rely on. */
            trust_upstream_mfa?: boolean;
            webauthn?: components["schemas"]["WebAuthnPolicy"];
        };
        /** @description The tenant's WebAuthn relying party. Empty members default to the issuer's host (ID) and origin and the tenant's display name. */
        WebAuthnPolicy: {
            /**
             * @description Relying party ID, a registrable domain suffix of the origins (`example.com`).
             * @example acme.example
             */
            rp_id?: string;
            /** @description Origins allowed to use the credentials (`https://login.acme.example`). */
            rp_origins?: string[];
            /** @description Name the authenticator shows. */
            rp_name?: string;
            /** @description Ask for a `direct` attestation and refuse authenticators that send none (default false, attestation `none`). */
            require_attestation?: boolean;
            /**
             * @description Whether authenticators must verify the user (PIN, biometrics).
             * @enum {string}
             */
            user_verification?: "" | "required" | "preferred" | "discouraged";
        };
        /** @description One enrolled second factor. Its secret is never returned. */
        MFAFactor: {
            /** @description Factor ID. */
            id: string;
            /**
             * @description `webauthn` (passkey or security key), `totp` (authenticator app), `recovery_codes` (the set of codes), `sms`.
             * @enum {string}
             */
            type: "webauthn" | "totp" | "recovery_codes" | "sms";
            /**
             * @description The user's name for it.
             * @example YubiKey 5
             */
            name: string;
            /** @description True for SMS, which is phishable and SIM-swappable. */
            weak: boolean;
            /**
             * Format: date-time
             * @description When it was enrolled.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When it last answered a challenge; absent if never.
             */
            last_used_at?: string;
        };
        /** @description One page of MFA factors. */
        MFAFactorList: {
            items: components["schemas"]["MFAFactor"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description A factor's new name. */
        MFAFactorName: {
            /**
             * @description 1 to 64 characters, no control characters.
             * @example Work phone
             */
            name: string;
        };
        /** @description A started authenticator-app enrolment. The secret is shown this once. */
        TOTPEnrolment: {
            /** @description Pass to `confirmMyTOTPEnrolment`. */
            enrolment_id: string;
            /**
             * @description The shared secret, base32, for typing into the app.
             * @example JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
             */
            secret: string;
            /** @description The `otpauth://totp/...` URL apps read from the QR code. */
            otpauth_url: string;
            /** @description The URL as a QR code, an SVG image as a `data:image/svg+xml;base64,...` URI. */
            qr_code: string;
            /**
             * Format: date-time
             * @description When the enrolment can no longer be confirmed.
             */
            expires_at: string;
        };
        /** @description The code the app shows, and a name for the factor. */
        TOTPConfirmation: {
            /**
             * @description Six digits.
             * @example 123456
             */
            code: string;
            /** @description Name for the factor; defaults to "Authenticator app". */
            name?: string;
        };
        /** @description What kind of credential to register. */
        WebAuthnRegistrationStart: {
            /** @description Ask for a passkey (discoverable credential) that can sign in without a username. */
            discoverable?: boolean;
        };
        /** @description A started WebAuthn registration. */
        WebAuthnRegistration: {
            /** @description Pass to `finishMyWebAuthnRegistration`. */
            enrolment_id: string;
            /** @description The `navigator.credentials.create()` argument, `{"publicKey": {...}}`, with binary members base64url-encoded (as `PublicKeyCredential.parseCreationOptionsFromJSON` takes them). */
            options: Record<string, never>;
        };
        /** @description The browser's answer and a name for the factor. */
        WebAuthnRegistrationFinish: {
            /**
             * @description Name for the factor; defaults to "Security key".
             * @example YubiKey 5
             */
            name?: string;
            /** @description The `PublicKeyCredential` from `navigator.credentials.create()`, as its `toJSON()`. */
            credential: Record<string, never>;
        };
        /** @description New recovery codes, shown once. Each works once, in place of a second factor. */
        RecoveryCodes: {
            codes: string[];
        };
        /** @description One page of tenants. */
        TenantList: {
            items: components["schemas"]["Tenant"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description A customer identity within one tenant. Optional members are absent when not set. */
        User: {
            /**
             * @description User ID (UUIDv7, time-ordered).
             * @example 01935f2e-8b7a-7cc4-9d2e-3f4a5b6c7d8e
             */
            id: string;
            /** @description ID of the tenant the user belongs to. */
            tenant_id: string;
            /**
             * Format: email
             * @description Email address; unique within the tenant, compared case-insensitively.
             * @example jane@example.com
             */
            email: string;
            /** @description Whether the email address has been verified. */
            email_verified: boolean;
            /**
             * @description Login name; unique within the tenant (case-insensitive) when set.
             * @example jane.doe
             */
            username?: string;
            /**
             * @description Phone number in E.164 form.
             * @example +14155550123
             */
            phone_number?: string;
            /** @description Whether the phone number has been verified. */
            phone_number_verified?: boolean;
            /** @description Full name (OIDC `name`). */
            name?: string;
            /** @description Given name(s) or first name(s). */
            given_name?: string;
            /** @description Surname(s) or last name(s). */
            family_name?: string;
            /** @description Middle name(s). */
            middle_name?: string;
            /** @description Casual name. */
            nickname?: string;
            /** @description Shorthand name the user wishes to be referred to by (a display value; `username` is the login name). */
            preferred_username?: string;
            /**
             * Format: uri
             * @description URL of the user's profile page.
             */
            profile?: string;
            /**
             * Format: uri
             * @description URL of the user's profile picture.
             */
            picture?: string;
            /**
             * Format: uri
             * @description URL of the user's web page or blog.
             */
            website?: string;
            /** @description Gender (`female`, `male`, or another value). */
            gender?: string;
            /**
             * @description Birthday as `YYYY-MM-DD`, or `YYYY` when only the year is known (OIDC Core 5.1).
             * @example 1990-04-01
             */
            birthdate?: string;
            /** @description IANA time zone, e.g. `Europe/Paris`. */
            zoneinfo?: string;
            /**
             * @description BCP 47 language tag, e.g. `en-US`.
             * @example en-US
             */
            locale?: string;
            address?: components["schemas"]["Address"];
            attributes: components["schemas"]["UserAttributes"];
            /** @description A disabled user cannot sign in and their tokens stop working. */
            disabled: boolean;
            /**
             * Format: date-time
             * @description Set while the user is temporarily locked (e.g. after repeated failed sign-ins); null or absent when not locked.
             */
            locked_until?: string | null;
            /** @description Whether the user has a password credential. */
            has_password: boolean;
            /** @description The user's federated identities, one per connection they are linked through. Returned by `getUser`; absent from lists. */
            identities?: components["schemas"]["FederatedIdentity"][];
            /**
             * @description The data-residency region whose database holds the user's personal data (a name of `GATEHOUSE_REGIONS`). Absent when the server runs without regions.
             * @example eu
             */
            region?: string;
            /** @description The tenant terms version the user accepted at registration; absent when none was asked for. */
            terms_version?: string;
            /**
             * Format: date-time
             * @description When the user accepted `terms_version`; absent when none was asked for.
             */
            terms_accepted_at?: string;
            /**
             * Format: date-time
             * @description When the user was created.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When the user was last changed.
             */
            updated_at: string;
            /**
             * Format: int64
             * @description Revision counter, bumped on every change. The `ETag` is derived from it.
             * @example 1
             */
            version: number;
        };
        /** @description Where to move a user's personal data. */
        UserMove: {
            /**
             * @description A region of `GATEHOUSE_REGIONS` other than the user's own.
             * @example us
             */
            region: string;
        };
        /**
         * @description A new user.
         * @example {
         *       "email": "jane@example.com",
         *       "password": "correct horse battery staple",
         *       "email_verified": true,
         *       "given_name": "Jane",
         *       "family_name": "Doe"
         *     }
         */
        UserCreate: {
            /**
             * Format: email
             * @description Email address; unique within the tenant, compared case-insensitively.
             * @example jane@example.com
             */
            email: string;
            /** @description Initial password. Write-only: never returned. The password policy (length, breached-password check) is enforced by the server and reported as a validation problem on `/password`. */
            password?: string;
            /**
             * @description Whether the email address has been verified.
             * @default false
             */
            email_verified?: boolean;
            /**
             * @description Login name; unique within the tenant (case-insensitive) when set.
             * @example jane.doe
             */
            username?: string;
            /**
             * @description Phone number in E.164 form.
             * @example +14155550123
             */
            phone_number?: string;
            /**
             * @description The data-residency region for the user's personal data: a name of `GATEHOUSE_REGIONS`. Without it, `GATEHOUSE_DEFAULT_REGION`. A name that is not configured, or any region on a server without regions, is a validation problem on `/region`. It cannot be changed by a patch.
             * @example eu
             */
            region?: string;
            /**
             * @description Whether the phone number has been verified.
             * @default false
             */
            phone_number_verified?: boolean;
            /** @description Full name (OIDC `name`). */
            name?: string;
            /** @description Given name(s) or first name(s). */
            given_name?: string;
            /** @description Surname(s) or last name(s). */
            family_name?: string;
            /** @description Middle name(s). */
            middle_name?: string;
            /** @description Casual name. */
            nickname?: string;
            /** @description Shorthand name the user wishes to be referred to by (a display value; `username` is the login name). */
            preferred_username?: string;
            /**
             * Format: uri
             * @description URL of the user's profile page.
             */
            profile?: string;
            /**
             * Format: uri
             * @description URL of the user's profile picture.
             */
            picture?: string;
            /**
             * Format: uri
             * @description URL of the user's web page or blog.
             */
            website?: string;
            /** @description Gender (`female`, `male`, or another value). */
            gender?: string;
            /**
             * @description Birthday as `YYYY-MM-DD`, or `YYYY` when only the year is known (OIDC Core 5.1).
             * @example 1990-04-01
             */
            birthdate?: string;
            /** @description IANA time zone, e.g. `Europe/Paris`. */
            zoneinfo?: string;
            /**
             * @description BCP 47 language tag, e.g. `en-US`.
             * @example en-US
             */
            locale?: string;
            address?: components["schemas"]["Address"];
            attributes?: components["schemas"]["UserAttributes"];
            /**
             * @description A disabled user cannot sign in and their tokens stop working.
             * @default false
             */
            disabled?: boolean;
        };
        /**
         * @description Changes to a user (JSON merge patch, RFC 7396). Absent members are left unchanged; members that can be cleared accept null. Passwords are changed with `setUserPassword`.
         * @example {
         *       "given_name": "Janet",
         *       "nickname": null
         *     }
         */
        UserPatch: {
            /**
             * Format: email
             * @description Email address; unique within the tenant, compared case-insensitively.
             * @example jane@example.com
             */
            email?: string;
            /** @description Whether the email address has been verified. */
            email_verified?: boolean;
            /**
             * @description Login name; unique within the tenant (case-insensitive) when set.
             * @example jane.doe
             */
            username?: string | null;
            /**
             * @description Phone number in E.164 form.
             * @example +14155550123
             */
            phone_number?: string | null;
            /** @description Whether the phone number has been verified. */
            phone_number_verified?: boolean;
            /** @description Full name (OIDC `name`). */
            name?: string | null;
            /** @description Given name(s) or first name(s). */
            given_name?: string | null;
            /** @description Surname(s) or last name(s). */
            family_name?: string | null;
            /** @description Middle name(s). */
            middle_name?: string | null;
            /** @description Casual name. */
            nickname?: string | null;
            /** @description Shorthand name the user wishes to be referred to by (a display value; `username` is the login name). */
            preferred_username?: string | null;
            /**
             * Format: uri
             * @description URL of the user's profile page.
             */
            profile?: string | null;
            /**
             * Format: uri
             * @description URL of the user's profile picture.
             */
            picture?: string | null;
            /**
             * Format: uri
             * @description URL of the user's web page or blog.
             */
            website?: string | null;
            /** @description Gender (`female`, `male`, or another value). */
            gender?: string | null;
            /**
             * @description Birthday as `YYYY-MM-DD`, or `YYYY` when only the year is known (OIDC Core 5.1).
             * @example 1990-04-01
             */
            birthdate?: string | null;
            /** @description IANA time zone, e.g. `Europe/Paris`. */
            zoneinfo?: string | null;
            /**
             * @description BCP 47 language tag, e.g. `en-US`.
             * @example en-US
             */
            locale?: string | null;
            /** @description Merged into the current address (members set to null are removed); null removes the address. */
            address?: components["schemas"]["AddressPatch"] | null;
            /** @description Merged into the current attributes as a JSON merge patch: a member set to null is removed. null replaces all attributes with `{}`. The result must satisfy the tenant's `attribute_schema`. */
            attributes?: components["schemas"]["UserAttributes"] | null;
            /** @description A disabled user cannot sign in and their tokens stop working. */
            disabled?: boolean;
        };
        /** @description A new password for a user. */
        UserPassword: {
            /** @description The new password. The server enforces the password policy. */
            password: string;
        };
        /** @description One page of users. */
        UserList: {
            items: components["schemas"]["User"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description Custom attributes as a free-form JSON object, validated against the tenant's `attribute_schema`.
         * @example {
         *       "plan": "pro",
         *       "employee_id": 4711
         *     }
         */
        UserAttributes: {
            [key: string]: unknown;
        };
        /** @description Postal address (OIDC `address` claim). */
        Address: {
            /** @description Full mailing address, formatted for display; may contain newlines. */
            formatted?: string;
            /** @description Street address; may contain newlines. */
            street_address?: string;
            /** @description City or locality. */
            locality?: string;
            /** @description State, province, prefecture or region. */
            region?: string;
            /** @description Zip or postal code. */
            postal_code?: string;
            /** @description Country name or ISO 3166-1 code. */
            country?: string;
        };
        /** @description Changes to an address (JSON merge patch): a member set to null is removed. */
        AddressPatch: {
            /** @description Full mailing address, formatted for display; may contain newlines. */
            formatted?: string | null;
            /** @description Street address; may contain newlines. */
            street_address?: string | null;
            /** @description City or locality. */
            locality?: string | null;
            /** @description State, province, prefecture or region. */
            region?: string | null;
            /** @description Zip or postal code. */
            postal_code?: string | null;
            /** @description Country name or ISO 3166-1 code. */
            country?: string | null;
        };
        /** @description Members shared by `Client` and `ClientWithSecret`. */
        ClientFields: {
            /**
             * @description OAuth client identifier.
             * @example 01935f31-2c4d-7e5f-8a9b-0c1d2e3f4a5b
             */
            client_id: string;
            /**
             * @description Human-readable name shown on consent and login pages.
             * @example Example Web App
             */
            client_name: string;
            /** @description Redirection URIs for the authorization endpoint. Compared by exact string match. */
            redirect_uris: string[];
            /** @description URIs the end-session endpoint may redirect to after logout. */
            post_logout_redirect_uris?: string[];
            /** @description Grant types the client may use. */
            grant_types: components["schemas"]["GrantType"][];
            /** @description Response types the client may use. */
            response_types: components["schemas"]["ResponseType"][];
            token_endpoint_auth_method: components["schemas"]["TokenEndpointAuthMethod"];
            /**
             * @description Space-separated scopes the client may request.
             * @example openid profile email offline_access
             */
            scope?: string;
            /**
             * Format: uri
             * @description Home page of the client.
             */
            client_uri?: string;
            /**
             * Format: uri
             * @description Logo shown on consent and login pages.
             */
            logo_uri?: string;
            /**
             * Format: uri
             * @description Privacy policy of the client.
             */
            policy_uri?: string;
            /**
             * Format: uri
             * @description Terms of service of the client.
             */
            tos_uri?: string;
            /** @description Ways to contact the people responsible for the client, typically email addresses. */
            contacts?: string[];
            /**
             * Format: uri
             * @description URL of the client's JSON Web Key Set (for `private_key_jwt` and request objects). Mutually exclusive with `jwks`.
             */
            jwks_uri?: string;
            jwks?: components["schemas"]["Jwks"];
            id_token_signed_response_alg?: components["schemas"]["SigningAlg"];
            application_type: components["schemas"]["ApplicationType"];
            /** @description When true, every token request of this client must carry a DPoP proof (RFC 9449 5.2) and its access tokens are always DPoP-bound (`token_type: DPoP`, `cnf.jkt`). Default false: DPoP is used when the client sends a proof. */
            dpop_bound_access_tokens?: boolean;
            /**
             * Format: uri
             * @description Where Gatehouse POSTs a signed logout token (`logout_token`, OIDC Back-Channel Logout 1.0) when a browser session in which this client got tokens ends: https, or http on a loopback host, no fragment.
             * @example https://app.example.com/backchannel-logout
             */
            backchannel_logout_uri?: string;
            /** @description The client needs the `sid` claim in logout tokens. Gatehouse always sends `sid` and `sub`. */
            backchannel_logout_session_required?: boolean;
            /**
             * Format: uri
             * @description Loaded in an iframe by the logged-out page when a session ends at `end_session` in the browser (OIDC Front-Channel Logout 1.0): https, or http on a loopback host, no fragment.
             * @example https://app.example.com/frontchannel-logout
             */
            frontchannel_logout_uri?: string;
            /** @description The iframe's URI carries `iss` and `sid` query parameters. */
            frontchannel_logout_session_required?: boolean;
            /**
             * @description Privacy purposes (IDs) a user must have granted, in their current version, before a sign-in to this client completes: the hosted login asks for them first, in the preference centre (issue 15). Each must name a purpose of the tenant. A purpose deleted later no longer binds.
             * @example [
             *       "terms"
             *     ]
             */
            required_purposes?: string[];
            profile?: components["schemas"]["ClientProfile"];
            /** @description When true, every authorization request of the client (at `/authorize` and the PAR endpoint) must come as a signed request object (`request`, or a `request_uri`; RFC 9101 10.5). */
            require_signed_request_object?: boolean;
            /** @description When true, the authorization endpoint accepts the client's requests only as a `request_uri` from the PAR endpoint (RFC 9126 6); a `fapi2` client must push them anyway. */
            require_pushed_authorization_requests?: boolean;
            /** @description https URLs from which the authorization endpoint may fetch the client's request objects (`request_uri`, RFC 9101 5.2); compared by exact string match. */
            request_uris?: string[];
            /** @description The client's Gatehouse settings (see `ClientSettings`). A client stored before settings were checked may hold other keys; those are ignored. */
            metadata: {
                [key: string]: unknown;
            };
            /**
             * @description How the client came to be; `dcr` when it registered itself at `{issuer}/oauth/register` (RFC 7591), which then manages it with its registration access token as well. Absent for clients made through this API.
             * @enum {string}
             */
            registered_by?: "dcr";
            /**
             * Format: int64
             * @description When the client ID was issued, in seconds since the Unix epoch (RFC 7591).
             */
            client_id_issued_at: number;
            /**
             * Format: int64
             * @description When the current client secret expires, in seconds since the Unix epoch; 0 means it never expires or that the client has no secret (RFC 7591).
             */
            client_secret_expires_at: number;
            /**
             * Format: date-time
             * @description When the client was created.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When the client was last changed.
             */
            updated_at: string;
            /**
             * Format: int64
             * @description Revision counter, bumped on every change. The `ETag` is derived from it.
             * @example 1
             */
            version: number;
        };
        /** @description An OAuth 2.0 / OpenID Connect client. Member names follow RFC 7591 client metadata. The secret is never returned here. */
        Client: components["schemas"]["ClientFields"];
        /** @description A newly created client. For confidential clients (`token_endpoint_auth_method` other than `none` and `private_key_jwt`) it includes the secret, which is shown only this once. */
        ClientWithSecret: components["schemas"]["ClientFields"] & {
            /** @description The client secret. Store it now: only its hash is kept. */
            client_secret?: string;
        };
        /**
         * @description A new client (RFC 7591 client metadata).
         * @example {
         *       "client_name": "Example Web App",
         *       "redirect_uris": [
         *         "https://app.example.com/callback"
         *       ],
         *       "grant_types": [
         *         "authorization_code",
         *         "refresh_token"
         *       ],
         *       "response_types": [
         *         "code"
         *       ],
         *       "token_endpoint_auth_method": "client_secret_basic",
         *       "scope": "openid profile email offline_access"
         *     }
         */
        ClientCreate: {
            /**
             * @description Human-readable name shown on consent and login pages.
             * @example Example Web App
             */
            client_name: string;
            /** @description Redirection URIs for the authorization endpoint. Compared by exact string match. */
            redirect_uris?: string[];
            /** @description URIs the end-session endpoint may redirect to after logout. */
            post_logout_redirect_uris?: string[];
            /**
             * @description Grant types the client may use.
             * @default [
             *       "authorization_code"
             *     ]
             */
            grant_types?: components["schemas"]["GrantType"][];
            /**
             * @description Response types the client may use.
             * @default [
             *       "code"
             *     ]
             */
            response_types?: components["schemas"]["ResponseType"][];
            /** @default client_secret_basic */
            token_endpoint_auth_method?: components["schemas"]["TokenEndpointAuthMethod"];
            /**
             * @description Space-separated scopes the client may request.
             * @example openid profile email offline_access
             */
            scope?: string;
            /**
             * Format: uri
             * @description Home page of the client.
             */
            client_uri?: string;
            /**
             * Format: uri
             * @description Logo shown on consent and login pages.
             */
            logo_uri?: string;
            /**
             * Format: uri
             * @description Privacy policy of the client.
             */
            policy_uri?: string;
            /**
             * Format: uri
             * @description Terms of service of the client.
             */
            tos_uri?: string;
            /** @description Ways to contact the people responsible for the client, typically email addresses. */
            contacts?: string[];
            /**
             * Format: uri
             * @description URL of the client's JSON Web Key Set (for `private_key_jwt` and request objects). Mutually exclusive with `jwks`.
             */
            jwks_uri?: string;
            jwks?: components["schemas"]["Jwks"];
            /** @default RS256 */
            id_token_signed_response_alg?: components["schemas"]["SigningAlg"];
            /** @default web */
            application_type?: components["schemas"]["ApplicationType"];
            /**
             * @description When true, every token request of this client must carry a DPoP proof (RFC 9449 5.2) and its access tokens are always DPoP-bound (`token_type: DPoP`, `cnf.jkt`). Default false: DPoP is used when the client sends a proof.
             * @default false
             */
            dpop_bound_access_tokens?: boolean;
            /**
             * Format: uri
             * @description Where Gatehouse POSTs a signed logout token (`logout_token`, OIDC Back-Channel Logout 1.0) when a browser session in which this client got tokens ends: https, or http on a loopback host, no fragment.
             * @example https://app.example.com/backchannel-logout
             */
            backchannel_logout_uri?: string;
            /** @description The client needs the `sid` claim in logout tokens. Gatehouse always sends `sid` and `sub`. */
            backchannel_logout_session_required?: boolean;
            /**
             * Format: uri
             * @description Loaded in an iframe by the logged-out page when a session ends at `end_session` in the browser (OIDC Front-Channel Logout 1.0): https, or http on a loopback host, no fragment.
             * @example https://app.example.com/frontchannel-logout
             */
            frontchannel_logout_uri?: string;
            /** @description The iframe's URI carries `iss` and `sid` query parameters. */
            frontchannel_logout_session_required?: boolean;
            /**
             * @description Privacy purposes (IDs) a user must have granted, in their current version, before a sign-in to this client completes: the hosted login asks for them first, in the preference centre (issue 15). Each must name a purpose of the tenant. A purpose deleted later no longer binds.
             * @example [
             *       "terms"
             *     ]
             */
            required_purposes?: string[];
            /** @default default */
            profile?: components["schemas"]["ClientProfile"];
            /** @description When true, every authorization request of the client (at `/authorize` and the PAR endpoint) must come as a signed request object (`request`, or a `request_uri`; RFC 9101 10.5). */
            require_signed_request_object?: boolean;
            /** @description When true, the authorization endpoint accepts the client's requests only as a `request_uri` from the PAR endpoint (RFC 9126 6); a `fapi2` client must push them anyway. */
            require_pushed_authorization_requests?: boolean;
            /** @description https URLs from which the authorization endpoint may fetch the client's request objects (`request_uri`, RFC 9101 5.2); compared by exact string match. */
            request_uris?: string[];
            metadata?: components["schemas"]["ClientSettings"];
        };
        /** @description Changes to a client (JSON merge patch, RFC 7396). Arrays are replaced whole; members that can be cleared accept null. */
        ClientPatch: {
            /**
             * @description Human-readable name shown on consent and login pages.
             * @example Example Web App
             */
            client_name?: string;
            /** @description Redirection URIs for the authorization endpoint. Compared by exact string match. */
            redirect_uris?: string[];
            /** @description URIs the end-session endpoint may redirect to after logout. */
            post_logout_redirect_uris?: string[];
            /** @description Grant types the client may use. */
            grant_types?: components["schemas"]["GrantType"][];
            /** @description Response types the client may use. */
            response_types?: components["schemas"]["ResponseType"][];
            token_endpoint_auth_method?: components["schemas"]["TokenEndpointAuthMethod"];
            /**
             * @description Space-separated scopes the client may request.
             * @example openid profile email offline_access
             */
            scope?: string | null;
            /**
             * Format: uri
             * @description Home page of the client.
             */
            client_uri?: string | null;
            /**
             * Format: uri
             * @description Logo shown on consent and login pages.
             */
            logo_uri?: string | null;
            /**
             * Format: uri
             * @description Privacy policy of the client.
             */
            policy_uri?: string | null;
            /**
             * Format: uri
             * @description Terms of service of the client.
             */
            tos_uri?: string | null;
            /** @description Ways to contact the people responsible for the client, typically email addresses. */
            contacts?: string[];
            /**
             * Format: uri
             * @description URL of the client's JSON Web Key Set (for `private_key_jwt` and request objects). Mutually exclusive with `jwks`.
             */
            jwks_uri?: string | null;
            /** @description Replaces the client's JSON Web Key Set; null removes it. */
            jwks?: components["schemas"]["Jwks"] | null;
            /** @description JWS algorithm for ID tokens; null restores the server default (RS256). */
            id_token_signed_response_alg?: components["schemas"]["SigningAlg"] | null;
            application_type?: components["schemas"]["ApplicationType"];
            /** @description When true, every token request of this client must carry a DPoP proof (RFC 9449 5.2) and its access tokens are always DPoP-bound (`token_type: DPoP`, `cnf.jkt`). Default false: DPoP is used when the client sends a proof. */
            dpop_bound_access_tokens?: boolean;
            /**
             * Format: uri
             * @description Where Gatehouse POSTs a signed logout token (`logout_token`, OIDC Back-Channel Logout 1.0) when a browser session in which this client got tokens ends: https, or http on a loopback host, no fragment. null removes it.
             * @example https://app.example.com/backchannel-logout
             */
            backchannel_logout_uri?: string | null;
            /** @description The client needs the `sid` claim in logout tokens. Gatehouse always sends `sid` and `sub`. */
            backchannel_logout_session_required?: boolean;
            /**
             * Format: uri
             * @description Loaded in an iframe by the logged-out page when a session ends at `end_session` in the browser (OIDC Front-Channel Logout 1.0): https, or http on a loopback host, no fragment. null removes it.
             * @example https://app.example.com/frontchannel-logout
             */
            frontchannel_logout_uri?: string | null;
            /** @description The iframe's URI carries `iss` and `sid` query parameters. */
            frontchannel_logout_session_required?: boolean;
            /**
             * @description Privacy purposes (IDs) a user must have granted, in their current version, before a sign-in to this client completes: the hosted login asks for them first, in the preference centre (issue 15). Each must name a purpose of the tenant. A purpose deleted later no longer binds.
             * @example [
             *       "terms"
             *     ]
             */
            required_purposes?: string[] | null;
            profile?: components["schemas"]["ClientProfile"];
            /** @description When true, every authorization request of the client must come as a signed request object. */
            require_signed_request_object?: boolean;
            /** @description When true, the authorization endpoint accepts the client's requests only as a `request_uri` from the PAR endpoint (RFC 9126 6). */
            require_pushed_authorization_requests?: boolean;
            /** @description https URLs from which the authorization endpoint may fetch the client's request objects; null clears. */
            request_uris?: string[] | null;
            /** @description Merged into the current settings as a JSON merge patch: a member set to null is removed (back to its default); null removes all settings. Members are those of `ClientSettings`; the merged result is checked as a whole. */
            metadata?: {
                first_party?: components["schemas"]["ClientSettings"]["first_party"] | null;
                access_token_format?: components["schemas"]["ClientSettings"]["access_token_format"] | null;
                access_token_lifetime?: components["schemas"]["ClientSettings"]["access_token_lifetime"] | null;
                id_token_lifetime?: components["schemas"]["ClientSettings"]["id_token_lifetime"] | null;
                refresh_token_lifetime?: components["schemas"]["ClientSettings"]["refresh_token_lifetime"] | null;
                refresh_token_absolute_lifetime?: components["schemas"]["ClientSettings"]["refresh_token_absolute_lifetime"] | null;
                audience?: components["schemas"]["ClientSettings"]["audience"] | null;
                token_exchange_audiences?: components["schemas"]["ClientSettings"]["token_exchange_audiences"] | null;
                claim_mappings?: components["schemas"]["ClientSettings"]["claim_mappings"] | null;
                allowed_cors_origins?: components["schemas"]["ClientSettings"]["allowed_cors_origins"] | null;
                organization_usage?: components["schemas"]["ClientSettings"]["organization_usage"] | null;
            } | null;
        };
        /** @description Gatehouse extensions of a client, in its `metadata` object. Every member is typed: an unknown member or a value of the wrong type is refused with a `validation` problem naming `/metadata/<member>`. */
        ClientSettings: {
            /**
             * @description `true` skips the consent page and allows the headless login API.
             * @default false
             */
            first_party?: boolean;
            /**
             * @description `jwt` (RFC 9068, the default) or `opaque` (stored, `gho_` prefix).
             * @default jwt
             * @enum {string}
             */
            access_token_format?: "jwt" | "opaque";
            /**
             * Format: int64
             * @description Access token lifetime in seconds; 0 is the server default (3600). At most 86400 applies.
             */
            access_token_lifetime?: number;
            /**
             * Format: int64
             * @description ID token lifetime in seconds; 0 is the server default (3600). At most 86400 applies.
             */
            id_token_lifetime?: number;
            /**
             * Format: int64
             * @description Sliding refresh token lifetime in seconds; 0 is the server default (30 days).
             */
            refresh_token_lifetime?: number;
            /**
             * Format: int64
             * @description Absolute lifetime of a refresh token family in seconds; 0 is the server default (90 days).
             */
            refresh_token_absolute_lifetime?: number;
            /**
             * @description The `aud` of the client's access tokens (default its client ID). One string or a list.
             * @example urn:example:api
             */
            audience?: string | string[];
            /** @description Audiences the client may request in a token exchange (RFC 8693). One string or a list. */
            token_exchange_audiences?: string | string[];
            /**
             * @description Custom user attributes copied into ID tokens, userinfo and access tokens: claim name to attribute key. Standard and protocol claims are never overwritten.
             * @example {
             *       "department": "department"
             *     }
             */
            claim_mappings?: {
                [key: string]: string;
            };
            /**
             * @description Browser origins allowed to call the tenant's protocol endpoints (token, userinfo, introspection, revocation, PAR, device authorization, authorize, end_session) from JavaScript. Each is an origin as browsers send it: `scheme://host[:port]`, lower case, no default port, no path. The tenant's endpoints answer CORS for an origin that any of its clients lists, never with credentials.
             * @example [
             *       "https://spa.example.com"
             *     ]
             */
            allowed_cors_origins?: string[];
            /**
             * @description How the client's sign-ins use organizations (B2B). `none` (the default): a sign-in is for an organization only when `/authorize` names one (`organization=`). `optional`: a user who is a member of organizations picks one of them, or none, on the hosted login's organization page. `required`: every sign-in is for an organization; without `organization=`, a member of exactly one gets it silently, a member of several picks one, and a user in none is refused with a page (the login API answers 403). The tokens then carry `org_id` and `org_name`.
             * @default none
             * @enum {string}
             */
            organization_usage?: "none" | "optional" | "required";
        };
        /** @description A newly issued client secret. The previous secret stops working. */
        ClientSecret: {
            /** @description The client. */
            client_id: string;
            /** @description The new secret. Store it now: only its hash is kept. */
            client_secret: string;
            /**
             * Format: int64
             * @description When the new secret expires, in seconds since the Unix epoch; 0 means never.
             */
            client_secret_expires_at: number;
        };
        /** @description One page of clients. */
        ClientList: {
            items: components["schemas"]["Client"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description OAuth 2.0 grant type.
         * @enum {string}
         */
        GrantType: "authorization_code" | "refresh_token" | "client_credentials" | "urn:ietf:params:oauth:grant-type:device_code" | "urn:ietf:params:oauth:grant-type:token-exchange" | "urn:ietf:params:oauth:grant-type:jwt-bearer";
        /**
         * @description OAuth 2.0 response type.
         * @enum {string}
         */
        ResponseType: "code";
        /**
         * @description How the client authenticates at the token endpoint. `none` makes a public client (no secret; PKCE required).
         * @enum {string}
         */
        TokenEndpointAuthMethod: "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "none";
        /**
         * @description Security profile of the client. `fapi2` applies the FAPI 2.0 Security Profile: pushed authorization requests required, PKCE with S256, `private_key_jwt` only, a `DPoP` proof at the token endpoint, PS256/ES256/EdDSA only for the client's assertions and request objects, authorization codes of at most 60 seconds, only the `code` response type, and no refresh-token rotation for confidential clients. Creating or changing a `fapi2` client that breaks a static rule answers 400 naming each rule.
         * @enum {string}
         */
        ClientProfile: "default" | "fapi2";
        /**
         * @description JWS algorithm for ID tokens issued to the client.
         * @enum {string}
         */
        SigningAlg: "RS256" | "ES256" | "EdDSA";
        /**
         * @description `web` (redirect URIs must use https, except localhost) or `native` (custom schemes and loopback allowed).
         * @enum {string}
         */
        ApplicationType: "web" | "native";
        /** @description A JSON Web Key Set (RFC 7517) with the client's public keys. */
        Jwks: {
            /** @description The keys (JWK objects). */
            keys: {
                [key: string]: unknown;
            }[];
        };
        /** @description Members shared by `InitialAccessToken` and `InitialAccessTokenWithToken`. */
        InitialAccessTokenFields: {
            /** @description Token ID (also embedded in the token). */
            id: string;
            /**
             * Format: date-time
             * @description When the token stops working; null or absent if it never expires.
             */
            expires_at?: string | null;
            /** @description How many registrations the token allows; 0 for no limit. */
            max_uses: number;
            /** @description How many registrations the token made. */
            uses: number;
            /**
             * Format: date-time
             * @description When the token was created.
             */
            created_at: string;
        };
        /** @description An initial access token for dynamic client registration. The secret is never returned after creation. */
        InitialAccessToken: components["schemas"]["InitialAccessTokenFields"];
        /** @description A newly created initial access token, with its bearer secret. */
        InitialAccessTokenWithToken: components["schemas"]["InitialAccessTokenFields"] & {
            /**
             * @description The bearer token (`giat_<id>_<secret>`) for `Authorization: Bearer` at the registration endpoint. Shown only this once: store it now.
             * @example giat_01935f35_QmFzZTY0VXJsU2VjcmV0
             */
            token: string;
        };
        /** @description A new initial access token. */
        InitialAccessTokenCreate: {
            /**
             * @description Seconds until the token stops working; omit for a token that does not expire.
             * @example 86400
             */
            expires_in?: number;
            /**
             * @description How many registrations the token allows; omit or 0 for no limit.
             * @example 1
             */
            max_uses?: number;
        };
        /** @description One page of initial access tokens. */
        InitialAccessTokenList: {
            items: components["schemas"]["InitialAccessToken"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description Who may register clients at `{issuer}/oauth/register` (RFC 7591): `off` (nobody; the endpoint answers 404 and
         *     discovery has no `registration_endpoint`), `initial_access_token` (callers with an initial access token from
         *     the Admin API) or `open` (anyone, rate-limited per IP address).
         * @enum {string}
         */
        DCRMode: "off" | "initial_access_token" | "open";
        /**
         * @description Admin API scope. `admin` grants every scope.
         * @enum {string}
         */
        ApiKeyScope: "tenants:read" | "tenants:write" | "users:read" | "users:write" | "clients:read" | "clients:write" | "api_keys:read" | "api_keys:write" | "keys:read" | "keys:write" | "events:read" | "webhooks:read" | "webhooks:write" | "admin";
        /** @description Members shared by `ApiKey` and `ApiKeyWithToken`. */
        ApiKeyFields: {
            /** @description API key ID (also embedded in the token). */
            id: string;
            /** @description What the key is for. */
            name: string;
            /** @description Scopes granted to the key. */
            scopes: components["schemas"]["ApiKeyScope"][];
            /**
             * Format: date-time
             * @description When the key stops working; null or absent if it never expires.
             */
            expires_at?: string | null;
            /**
             * Format: date-time
             * @description When the key was last used; null or absent if never (updated at most once a minute).
             */
            last_used_at?: string | null;
            /**
             * Format: date-time
             * @description When the key was revoked; null or absent while it is not.
             */
            revoked_at?: string | null;
            /**
             * Format: date-time
             * @description When the key was created.
             */
            created_at: string;
        };
        /** @description An Admin API key. The token is never returned after creation. */
        ApiKey: components["schemas"]["ApiKeyFields"];
        /** @description A newly created API key, with its bearer token. */
        ApiKeyWithToken: components["schemas"]["ApiKeyFields"] & {
            /**
             * @description The bearer token (`gh_<id>_<secret>`). Shown only this once: store it now.
             * @example gh_01935f35_QmFzZTY0VXJsU2VjcmV0
             */
            token: string;
        };
        /** @description A new API key. */
        ApiKeyCreate: {
            /**
             * @description What the key is for.
             * @example CI provisioning
             */
            name: string;
            /**
             * @description Scopes to grant.
             * @example [
             *       "users:read",
             *       "users:write"
             *     ]
             */
            scopes: components["schemas"]["ApiKeyScope"][];
            /**
             * Format: date-time
             * @description When the key stops working; omit for a key that does not expire.
             */
            expires_at?: string;
        };
        /** @description One page of API keys. */
        ApiKeyList: {
            items: components["schemas"]["ApiKey"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description One record of the audit log. `hash` is SHA-256 over the record's canonical encoding including
         *     `prev_hash`, the hash of the record before it in the tenant's chain (docs/audit.md).
         */
        Event: {
            /** @description Event ID (UUIDv7); also the `Gatehouse-Event-Id` of its webhook deliveries. */
            id: string;
            /**
             * @description Event type, e.g. `login.failed`, `password.changed`, `admin.user.created`.
             * @example login.failed
             */
            type: string;
            /** @description The tenant's ID. */
            tenant_id: string;
            /**
             * Format: int64
             * @description Position in the tenant's chain, from 1.
             */
            seq: number;
            /**
             * Format: date-time
             * @description When it happened.
             */
            time: string;
            /** @description The user the event is about, if any. */
            user_id?: string;
            /** @description Who acted when not the user, e.g. the Admin API key ID. */
            actor_id?: string;
            /** @description Client IP address. */
            ip?: string;
            /** @description Device identifier. */
            device_id?: string;
            /** @description Client user agent. */
            user_agent?: string;
            /** @description The risk engine's decision, when one was made. */
            decision?: string;
            /** @description The rules that fired for the decision. */
            reasons: string[];
            /** @description Event-specific details. */
            data: {
                [key: string]: unknown;
            };
            /** @description Hex SHA-256 of the previous record; empty for the first. */
            prev_hash: string;
            /** @description Hex SHA-256 of this record. */
            hash: string;
            /**
             * @description True when the user the event is about was erased: its personal fields (`ip`, `user_agent`, and data
             *     members such as `email` or `name`) were sealed with that user's key, which the erasure destroyed, and
             *     read `erased subject`. The hash covers the sealed form, so the chain still verifies.
             */
            subject_erased?: boolean;
        };
        /** @description One metric's series over a period. */
        AnalyticsReport: {
            /** @enum {string} */
            metric: "signups" | "signins" | "active_users" | "mfa_adoption" | "risk_decisions" | "token_issuance";
            /** @enum {string} */
            interval: "hour" | "day" | "week";
            /**
             * Format: date-time
             * @description Start of the first bucket.
             */
            from: string;
            /**
             * Format: date-time
             * @description End of the period (excluded), as asked.
             */
            to: string;
            /** @description One series for an ungrouped metric (no `group`), else one per group seen in the period, ordered by group. */
            series: components["schemas"]["AnalyticsSeries"][];
        };
        /** @description The points of one group (labels in `group`, absent for an ungrouped metric), one per bucket. */
        AnalyticsSeries: {
            group?: {
                [key: string]: string;
            };
            points: components["schemas"]["AnalyticsPoint"][];
        };
        /** @description A bucket's start and its value. */
        AnalyticsPoint: {
            /** Format: date-time */
            at: string;
            /** Format: int64 */
            value: number;
        };
        /** @description One page of events. */
        EventList: {
            items: components["schemas"]["Event"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description Event types to deliver, exact (`password.changed`) or a prefix (`login.*`); empty or absent for all.
         * @example [
         *       "login.*",
         *       "password.changed"
         *     ]
         */
        WebhookEventTypes: string[];
        /** @description Members shared by `Webhook` and `WebhookWithSecret`. */
        WebhookFields: {
            /** @description Webhook ID. */
            id: string;
            /**
             * Format: uri
             * @description Where deliveries are POSTed.
             */
            url: string;
            /** @description What the webhook is for. */
            description?: string;
            event_types: components["schemas"]["WebhookEventTypes"];
            /** @description Whether events are delivered. */
            enabled: boolean;
            /**
             * Format: date-time
             * @description When the webhook was created.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When the webhook last changed.
             */
            updated_at: string;
            /**
             * Format: int64
             * @description Increases with every change; the ETag.
             */
            version: number;
        };
        /** @description A webhook subscription. Its secret is never returned after creation. */
        Webhook: components["schemas"]["WebhookFields"];
        /** @description A newly created webhook, with its signing secret. */
        WebhookWithSecret: components["schemas"]["WebhookFields"] & {
            /**
             * @description The HMAC-SHA256 key that signs deliveries (`Gatehouse-Signature`). Shown only this once.
             * @example whsec_QmFzZTY0VXJsU2VjcmV0
             */
            secret: string;
        };
        /** @description A new webhook subscription. */
        WebhookCreate: {
            /**
             * Format: uri
             * @description An `https` URL, or `http` to a loopback address (127.0.0.1, ::1, localhost).
             * @example https://hooks.example.com/gatehouse
             */
            url: string;
            /** @description What the webhook is for. */
            description?: string;
            event_types?: components["schemas"]["WebhookEventTypes"];
            /** @description Whether events are delivered; true when absent. */
            enabled?: boolean;
        };
        /** @description Changes to a webhook (JSON merge patch). */
        WebhookPatch: {
            /**
             * Format: uri
             * @description An `https` URL, or `http` to a loopback address.
             */
            url?: string;
            /** @description What the webhook is for. */
            description?: string;
            event_types?: components["schemas"]["WebhookEventTypes"];
            /** @description Whether events are delivered. */
            enabled?: boolean;
        };
        /** @description One page of webhooks. */
        WebhookList: {
            items: components["schemas"]["Webhook"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description The NameID Gatehouse asserts: `emailAddress` (the user's email), `persistent` (an opaque ID, stable per
         *     user and service provider), `transient` (a new opaque ID for every assertion) or `unspecified` (the user ID).
         * @enum {string}
         */
        SamlNameIdFormat: "emailAddress" | "persistent" | "transient" | "unspecified";
        /**
         * @description The SAML attributes asserted: attribute name → a user field (`email`, `email_verified`, `username`,
         *     `phone_number`, `name`, `given_name`, `family_name`, `locale`, `sub`) or else a custom attribute's key.
         * @example {
         *       "email": "email",
         *       "givenName": "given_name",
         *       "groups": "groups"
         *     }
         */
        SamlAttributeMapping: {
            [key: string]: string;
        };
        /** @description An X.509 certificate, PEM-encoded. */
        SamlCertificate: string;
        /**
         * Format: uri
         * @description An `https` URL, or `http` to a loopback address.
         */
        SamlEndpointURL: string;
        /** @description A SAML 2.0 service provider registered with the tenant's identity provider. */
        SamlServiceProvider: {
            /** @description The service provider's ID (`sp_id`). */
            id: string;
            /** @description A name for admins; the entity ID when none was given. */
            name: string;
            /** @description The service provider's entity ID, the Audience of its assertions. Unique in the tenant. */
            entity_id: string;
            /** @description Assertion consumer service URLs (HTTP-POST binding), the first being the default. */
            acs_urls: string[];
            /** @description The service provider's single logout URL, if any. */
            slo_url: string | null;
            /** @description The SingleLogoutService with the SOAP binding its metadata declares, if any (read-only, from `metadata_xml` or `metadata_url`). Sessions that end without the browser (an admin's revocation, sign out everywhere, a password reset, a deleted user) are logged out of the service provider by a signed LogoutRequest POSTed to it (back-channel single logout); browser logout uses `slo_url`. */
            soap_slo_url: string | null;
            /** @description The URL its metadata was read from, if it was registered with one. */
            metadata_url: string | null;
            /** @description Certificates that verify the service provider's signed AuthnRequests. */
            signing_certificates: components["schemas"]["SamlCertificate"][];
            /** @description The certificate assertions are encrypted to, if any. */
            encryption_certificate: components["schemas"]["SamlCertificate"] | null;
            name_id_format: components["schemas"]["SamlNameIdFormat"];
            attributes: components["schemas"]["SamlAttributeMapping"];
            /** @description Whether the Response is signed. */
            sign_response: boolean;
            /** @description Whether the Assertion is signed. */
            sign_assertion: boolean;
            /** @description Whether the Assertion is encrypted to `encryption_certificate`. */
            encrypt_assertion: boolean;
            /** @description Whether AuthnRequests must be signed by one of `signing_certificates`. */
            require_signed_requests: boolean;
            /** @description Whether Gatehouse may send unsolicited (IdP-initiated) Responses to the service provider. */
            allow_idp_initiated: boolean;
            /**
             * Format: int32
             * @description How long the service provider may keep its session (`SessionNotOnOrAfter`).
             */
            session_lifetime_seconds: number;
            /**
             * Format: date-time
             * @description When it was registered.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When it last changed.
             */
            updated_at: string;
            /**
             * Format: int64
             * @description Increases with every change; the ETag.
             */
            version: number;
        };
        /**
         * @description A new SAML service provider: exactly one of `metadata_xml`, `metadata_url`, or `entity_id` with `acs_urls`.
         *     The other members default as described.
         */
        SamlServiceProviderCreate: {
            /** @description A name for admins; the entity ID when absent. */
            name?: string;
            /** @description The service provider's SAML metadata (an `EntityDescriptor` with an `SPSSODescriptor`). */
            metadata_xml?: string;
            /**
             * Format: uri
             * @description Where to fetch the service provider's metadata (`https`, or `http` to a loopback address); read once, with a 10 s timeout and a 1 MiB limit.
             */
            metadata_url?: string;
            /** @description The service provider's entity ID, without metadata. */
            entity_id?: string;
            /** @description Assertion consumer service URLs (HTTP-POST), without metadata; the first is the default. */
            acs_urls?: components["schemas"]["SamlEndpointURL"][];
            slo_url?: components["schemas"]["SamlEndpointURL"];
            /** @description Certificates that verify signed AuthnRequests, without metadata. */
            signing_certificates?: components["schemas"]["SamlCertificate"][];
            encryption_certificate?: components["schemas"]["SamlCertificate"];
            name_id_format?: components["schemas"]["SamlNameIdFormat"];
            attributes?: components["schemas"]["SamlAttributeMapping"];
            /** @description Whether the Response is signed; true when absent. */
            sign_response?: boolean;
            /** @description Whether the Assertion is signed; true when absent. */
            sign_assertion?: boolean;
            /** @description Whether the Assertion is encrypted; false when absent. Needs an encryption certificate. */
            encrypt_assertion?: boolean;
            /** @description Whether AuthnRequests must be signed; false when absent. Needs a signing certificate. */
            require_signed_requests?: boolean;
            /** @description Whether IdP-initiated sign-in is allowed; false when absent. */
            allow_idp_initiated?: boolean;
            /**
             * Format: int32
             * @description How long the service provider may keep its session; 28800 (8 hours) when absent.
             */
            session_lifetime_seconds?: number;
        };
        /** @description Changes to a SAML service provider (JSON merge patch, RFC 7396). Arrays are replaced whole; members that can be cleared accept null. */
        SamlServiceProviderPatch: {
            /** @description A name for admins. */
            name?: string;
            /** @description New metadata; replaces the entity ID, ACS URLs, SLO URL and certificates. */
            metadata_xml?: string;
            /**
             * Format: uri
             * @description Where to fetch new metadata, now; replaces the entity ID, ACS URLs, SLO URL and certificates.
             */
            metadata_url?: string;
            /** @description The service provider's entity ID. */
            entity_id?: string;
            /** @description Assertion consumer service URLs; the first is the default. */
            acs_urls?: components["schemas"]["SamlEndpointURL"][];
            /**
             * Format: uri
             * @description The single logout URL; null removes it.
             */
            slo_url?: string | null;
            /** @description Certificates that verify signed AuthnRequests. */
            signing_certificates?: components["schemas"]["SamlCertificate"][];
            /** @description The encryption certificate; null removes it. */
            encryption_certificate?: string | null;
            name_id_format?: components["schemas"]["SamlNameIdFormat"];
            attributes?: components["schemas"]["SamlAttributeMapping"];
            /** @description Whether the Response is signed. */
            sign_response?: boolean;
            /** @description Whether the Assertion is signed. */
            sign_assertion?: boolean;
            /** @description Whether the Assertion is encrypted. */
            encrypt_assertion?: boolean;
            /** @description Whether AuthnRequests must be signed. */
            require_signed_requests?: boolean;
            /** @description Whether IdP-initiated sign-in is allowed. */
            allow_idp_initiated?: boolean;
            /**
             * Format: int32
             * @description How long the service provider may keep its session.
             */
            session_lifetime_seconds?: number;
        };
        /** @description One page of SAML service providers. */
        SamlServiceProviderList: {
            items: components["schemas"]["SamlServiceProvider"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description One event on its way to a webhook. */
        WebhookDelivery: {
            /** @description Delivery ID. */
            id: string;
            /** @description The event delivered. */
            event_id: string;
            /** @description The event's type. */
            event_type: string;
            /** @description The event's user; deliveries for one user are made in order. */
            user_id?: string;
            /**
             * @description `pending` (queued or being retried), `delivered`, or `failed` (given up after the maximum age).
             * @enum {string}
             */
            status: "pending" | "delivered" | "failed";
            /** @description Attempts made so far. */
            attempts: number;
            /** @description Why the last attempt failed. */
            last_error?: string;
            /**
             * Format: date-time
             * @description When a pending delivery is next tried; null once it is delivered or failed.
             */
            next_attempt_at?: string | null;
            /**
             * Format: date-time
             * @description When the event was queued.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When the receiver accepted it; null until then.
             */
            delivered_at?: string | null;
        };
        /** @description One page of deliveries. */
        WebhookDeliveryList: {
            items: components["schemas"]["WebhookDelivery"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description An address to invite. */
        InvitationCreate: {
            /**
             * Format: email
             * @description Email address; unique within the tenant, compared case-insensitively.
             * @example jane@example.com
             */
            email: string;
            /** @description Given name of a new user, also used to greet them. */
            given_name?: string;
            /** @description Family name of a new user. */
            family_name?: string;
            /**
             * @description Seconds the link works; default 604800 (7 days), at most 2592000 (30 days).
             * @default 604800
             */
            expires_in?: number;
        };
        /** @description A pending invitation. The link's token is only ever in the mail. */
        Invitation: {
            /** @description Invitation ID. */
            readonly id: string;
            /**
             * Format: email
             * @description The invited address.
             */
            email: string;
            /**
             * Format: date-time
             * @description When the link stops working.
             */
            expires_at: string;
            /**
             * Format: date-time
             * @description When the invitation was sent.
             */
            created_at: string;
        };
        /** @description One page of pending invitations. */
        InvitationList: {
            items: components["schemas"]["Invitation"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description A user's credentials for a pending authorization request. */
        LoginAuthenticateRequest: {
            /** @description The `authRequestID` of the login URL that `/authorize` redirected to. */
            auth_request_id: string;
            /**
             * @description The user's email address or username (compared case-insensitively).
             * @example jane@example.com
             */
            identifier: string;
            /**
             * Format: password
             * @description The user's password.
             */
            password: string;
        };
        /** @description The signed-in user's answer to a consent prompt. */
        LoginConsentRequest: {
            /** @description The `authRequestID` of the authorization request. */
            auth_request_id: string;
            /** @description `true` allows the client the requested scopes, `false` denies the request. */
            approve: boolean;
        };
        /** @description What happens next in a sign-in. */
        LoginResult: {
            /**
             * @description `complete`: the request is answered; send the browser to `redirect_to` (the client's redirect URI, or
             *     first the hosted preference centre when the user owes privacy decisions the client requires; it
             *     completes the request after).
             *     `consent_required`: show `consent` and answer with `consentLogin`.
             *     `mfa_required`: the sign-in also needs the second factor `mfa` describes; answer with
             *     `loginMFAChallenge` and `loginMFAVerify`.
             *     `organization_required`: the client signs people in for an organization (`organization_usage`) and the
             *     user must pick one of `organizations`; answer with `chooseLoginOrganization`.
             * @enum {string}
             */
            status: "complete" | "consent_required" | "mfa_required" | "organization_required";
            /**
             * Format: uri
             * @description The client's redirect URI with the authorization response (a `code` and `state`, or an `error`). Present when `status` is `complete`.
             */
            redirect_to?: string;
            consent?: components["schemas"]["LoginConsentPrompt"];
            mfa?: components["schemas"]["LoginMFAPrompt"];
            organizations?: components["schemas"]["LoginOrganizationPrompt"];
        };
        /** @description The organizations a user may sign in for. Present when `status` is `organization_required`. */
        LoginOrganizationPrompt: {
            /** @description `true` when the user may also go on without an organization (`organization` empty). */
            optional: boolean;
            /** @description The user's organizations in the tenant (at most 200). */
            choices: components["schemas"]["LoginOrganizationChoice"][];
        };
        /** @description One organization the user is a member of. */
        LoginOrganizationChoice: {
            /** @description Organization ID; send it back as `organization`. */
            id: string;
            /** @description The organization's slug. */
            name: string;
            /** @description The organization's display name (may be empty). */
            display_name: string;
        };
        /** @description The organization the signed-in user picked. */
        LoginOrganizationRequest: {
            /** @description The `authRequestID` of the authorization request. */
            auth_request_id: string;
            /** @description The ID of one of `organizations.choices`, or empty to go on without one where `optional`. */
            organization: string;
        };
        /**
         * @description A second factor at sign-in: `totp` (authenticator app), `recovery_codes` (a single-use recovery code),
         *     `email_otp` (a code mailed to the verified address), `sms` (a code by SMS; weak) or `webauthn` (a passkey
         *     or security key).
         * @enum {string}
         */
        LoginMFAMethod: "totp" | "recovery_codes" | "email_otp" | "sms" | "webauthn";
        /** @description The second factor a sign-in needs. Present when `status` is `mfa_required`, and with `complete` or `consent_required` while the user may still put off enrolment (`grace_until`). */
        LoginMFAPrompt: {
            /**
             * @description The authentication class to reach; `phr` (phishing-resistant) only by `webauthn`.
             * @enum {string}
             */
            required_acr: "urn:gatehouse:acr:mfa" | "phr";
            /** @description The methods the user can answer with, preferred first; empty when the user must enrol a factor first. */
            methods: components["schemas"]["LoginMFAMethod"][];
            /** @description The user has no factor that reaches `required_acr` and must enrol one first, with the account API and the session cookie (`startMyTOTPEnrolment`, `startMyWebAuthnRegistration`), then answer a challenge with it. */
            enrol: boolean;
            /**
             * Format: date-time
             * @description Until when the tenant's grace period lets the user sign in without enrolling.
             */
            grace_until?: string;
        };
        /** @description The method to challenge, for the signed-in user of an authorization request. */
        LoginMFAChallengeRequest: {
            /** @description The `authRequestID` of the authorization request. */
            auth_request_id: string;
            method: components["schemas"]["LoginMFAMethod"];
        };
        /** @description A started second-factor challenge. */
        LoginMFAChallenge: {
            /** @description Pass to `loginMFAVerify`. */
            challenge_id: string;
            method: components["schemas"]["LoginMFAMethod"];
            /**
             * Format: date-time
             * @description When the challenge stops taking answers.
             */
            expires_at: string;
            /**
             * @description Where the code went (`email_otp`, `sms`), partly hidden.
             * @example j***@example.com
             */
            masked?: string;
            /** @description For `webauthn`: the `navigator.credentials.get()` argument, `{"publicKey": {...}}`, with binary members base64url-encoded (as `PublicKeyCredential.parseRequestOptionsFromJSON` takes them). */
            webauthn_options?: Record<string, never>;
        };
        /** @description The answer to a second-factor challenge; exactly one of `code` and `credential`. */
        LoginMFAVerifyRequest: {
            /** @description The `authRequestID` of the authorization request. */
            auth_request_id: string;
            /** @description The `challenge_id` of `loginMFAChallenge`. */
            challenge_id: string;
            /**
             * @description The TOTP, recovery, email or SMS code (spaces and dashes are ignored).
             * @example 123456
             */
            code?: string;
            /** @description For `webauthn`: the `PublicKeyCredential` from `navigator.credentials.get()`, as its `toJSON()`. */
            credential?: Record<string, never>;
            /** @description Remember this device, so the tenant's policy does not ask it for a second factor for `remember_device_days` (never for `acr_values` or `phr`). Ignored when the policy does not allow it. */
            remember_device?: boolean;
        };
        /**
         * @description A mail Gatehouse sends. `account_exists` is the notice to an address someone tried to register again, `email_change` the code (and link) to a new address, `mfa_code` the email one-time code at sign-in.
         * @enum {string}
         */
        MailKind: "verify_email" | "password_reset" | "password_changed" | "email_changed" | "invitation" | "account_deleted" | "new_device_login" | "mfa_changed" | "account_exists" | "email_change" | "mfa_code";
        /** @description A tenant's override of one mail in one language; at least one part. Empty parts keep the built-in one. */
        MailTemplateInput: {
            subject?: string;
            text?: string;
            html?: string;
        };
        /** @description A tenant's stored override of one mail in one language. */
        MailTemplate: {
            kind: components["schemas"]["MailKind"];
            /** @enum {string} */
            lang: "en" | "de";
            subject: string;
            text: string;
            html: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description A self-service registration for a pending authorization request. */
        RegistrationRequest: {
            /** @description The `authRequestID` of the login URL that `/authorize` redirected to. */
            auth_request_id: string;
            /**
             * @description The new account's email address.
             * @example jane@example.com
             */
            email: string;
            /**
             * Format: password
             * @description The new password; it must satisfy the password policy.
             */
            password: string;
            given_name?: string;
            family_name?: string;
            /** @description Must be `true`. */
            accept_terms: boolean;
            /** @description When the tenant has a terms version (`Onboarding.terms_version`), the version accepted; it must equal the current one, otherwise a `validation` error on `/accept_terms_version`. */
            accept_terms_version?: string;
            /** @description The tenant's custom attributes (`User.attributes`) that its `attribute_schema` declares user-writable (see `AttributeSchema`), checked against the schema; a tenant whose schema requires attributes refuses a registration without them. Any other attribute (undeclared, or `readOnly`) is refused, and nothing is registered. Errors are `validation` field errors under `/attributes` (e.g. `/attributes/employee_id`). */
            attributes?: {
                [key: string]: unknown;
            };
            /** @description The IDs of the tenant's privacy purposes the person accepted (show them all, the optional ones never pre-ticked). Every required purpose must be among them, otherwise a `validation` error on `/purposes`; an unknown ID is one on `/purposes/{index}`. Each purpose's decision goes into the consent ledger with channel `registration`. */
            purposes?: components["schemas"]["PurposeId"][];
            /** @description For a tenant whose residency policy is `choice`, the region the person picked to hold their data; absent puts them in the first listed. Any other value, or any value when the tenant offers no choice, is a `validation` error on `/region`, and nothing is registered. */
            region?: components["schemas"]["RegionName"];
            /** @description The token of the mailed link of an invitation into an organization (its `token` parameter). Registers the invited address, verified, as a member with the invitation's roles, and uses the invitation (see `registerUser`). */
            invitation?: string;
        };
        /** @description The same for every accepted registration, whether or not the address was new. */
        RegistrationResult: {
            /**
             * @description `verification_sent`: if the address can be registered, a code and link were mailed to it.
             * @enum {string}
             */
            status: "verification_sent";
        };
        /** @description A mailed verification code with its address, or a link token. */
        VerificationRequest: {
            /** @description The address the code was sent to (with `code`). */
            email?: string;
            /** @description The mailed code (6 to 8 digits). */
            code?: string;
            /** @description The `token` parameter of the mailed link (instead of `email` and `code`). */
            token?: string;
        };
        /** @description What happens after a verified address. */
        VerificationResult: {
            /**
             * @description `complete`: the authorization request is answered; send the browser to `redirect_to`.
             *     `consent_required`: show `consent` and answer with `consentLogin`.
             *     `mfa_required`: the sign-in also needs the second factor `mfa` describes; answer with
             *     `loginMFAChallenge` and `loginMFAVerify`.
             *     `verified`: the address is verified; no authorization request was pending.
             * @enum {string}
             */
            status: "complete" | "consent_required" | "mfa_required" | "verified";
            /**
             * Format: uri
             * @description The client's redirect URI with the authorization response. Present when `status` is `complete`.
             */
            redirect_to?: string;
            consent?: components["schemas"]["LoginConsentPrompt"];
            mfa?: components["schemas"]["LoginMFAPrompt"];
        };
        /** @description A request for a password reset mail. */
        PasswordRecoveryRequest: {
            /**
             * @description The account's email address.
             * @example jane@example.com
             */
            email: string;
            /** @description The `authRequestID` of a pending login, offered back (sign in) after the reset by link. */
            auth_request_id?: string;
        };
        /** @description A new password with the mailed reset code and its address, or the link token. */
        PasswordResetRequest: {
            /** @description The address the code was sent to (with `code`). */
            email?: string;
            /** @description The mailed code (6 to 8 digits). */
            code?: string;
            /** @description The `token` parameter of the mailed link (instead of `email` and `code`). */
            token?: string;
            /**
             * Format: password
             * @description The new password; it must satisfy the password policy.
             */
            new_password: string;
        };
        /** @description What the user is asked to allow. Present when `status` is `consent_required`. */
        LoginConsentPrompt: {
            /**
             * @description The client's name (its `client_name`, or its ID when it has none).
             * @example Example Web App
             */
            client_name: string;
            /**
             * Format: uri
             * @description The client's logo, when it registered one.
             */
            logo_uri?: string;
            /**
             * @description The scopes the client asks for.
             * @example [
             *       "openid",
             *       "profile",
             *       "email"
             *     ]
             */
            scopes: string[];
        };
        /** @description A user's browser session at the hosted login, which gives single sign-on across the tenant's clients. Optional members are absent when not known. */
        Session: {
            /** @description Session ID, also the `sid` claim of the tokens issued under the session. */
            id: string;
            /** @description The user. */
            user_id: string;
            /**
             * @description IP address the session was last used from.
             * @example 203.0.113.7
             */
            ip?: string;
            /** @description User agent of the browser that last used the session. */
            user_agent?: string;
            /**
             * Format: date-time
             * @description When the user last authenticated in this session.
             */
            auth_time?: string;
            /**
             * @description How the user authenticated (RFC 8176 method references such as `pwd`, `otp`, `hwk`).
             * @example [
             *       "pwd",
             *       "otp"
             *     ]
             */
            amr: string[];
            /**
             * Format: date-time
             * @description When the session started.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When the session was last used (updated at most once a minute).
             */
            last_seen_at: string;
            /**
             * Format: date-time
             * @description When the session ends at the latest; it also ends after a period without use.
             */
            expires_at: string;
        };
        /** @description One page of sessions. */
        SessionList: {
            items: components["schemas"]["Session"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description One of the signed-in user's browser sessions, as `Session`, and whether the access token of the request was issued under it. Optional members are absent when not known. */
        AccountSession: {
            /** @description Session ID, also the `sid` claim of the tokens issued under the session. */
            id: string;
            /** @description The user (the token's subject). */
            user_id: string;
            /** @description `true` for the session the access token of this request was issued under. */
            current: boolean;
            /**
             * @description IP address the session was last used from.
             * @example 203.0.113.7
             */
            ip?: string;
            /** @description User agent of the browser that last used the session. */
            user_agent?: string;
            /**
             * Format: date-time
             * @description When the user last authenticated in this session.
             */
            auth_time?: string;
            /**
             * @description How the user authenticated (RFC 8176 method references such as `pwd`, `otp`, `hwk`).
             * @example [
             *       "pwd",
             *       "otp"
             *     ]
             */
            amr: string[];
            /**
             * Format: date-time
             * @description When the session started.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When the session was last used (updated at most once a minute).
             */
            last_seen_at: string;
            /**
             * Format: date-time
             * @description When the session ends at the latest; it also ends after a period without use.
             */
            expires_at: string;
        };
        /** @description One page of the signed-in user's sessions. */
        AccountSessionList: {
            items: components["schemas"]["AccountSession"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description Changes to the signed-in user's own profile (JSON merge patch, RFC 7396), the members of `UserPatch` a user may change themselves. Absent members are left unchanged; members that can be cleared accept null. Email, username, verification flags, status and the custom attributes the tenant's schema does not declare user-writable (which tenants use for entitlements such as plan or role) are changed through the Admin API only; the password with `changeMyPassword`.
         * @example {
         *       "given_name": "Janet",
         *       "nickname": null,
         *       "locale": "en-GB"
         *     }
         */
        MePatch: {
            /**
             * @description Phone number in E.164 form.
             * @example +14155550123
             */
            phone_number?: string | null;
            /** @description Full name (OIDC `name`). */
            name?: string | null;
            /** @description Given name(s) or first name(s). */
            given_name?: string | null;
            /** @description Surname(s) or last name(s). */
            family_name?: string | null;
            /** @description Middle name(s). */
            middle_name?: string | null;
            /** @description Casual name. */
            nickname?: string | null;
            /** @description Shorthand name the user wishes to be referred to by (a display value; `username` is the login name). */
            preferred_username?: string | null;
            /**
             * Format: uri
             * @description URL of the user's profile page.
             */
            profile?: string | null;
            /**
             * Format: uri
             * @description URL of the user's profile picture.
             */
            picture?: string | null;
            /**
             * Format: uri
             * @description URL of the user's web page or blog.
             */
            website?: string | null;
            /** @description Gender (`female`, `male`, or another value). */
            gender?: string | null;
            /**
             * @description Birthday as `YYYY-MM-DD`, or `YYYY` when only the year is known (OIDC Core 5.1).
             * @example 1990-04-01
             */
            birthdate?: string | null;
            /** @description IANA time zone, e.g. `Europe/Paris`. */
            zoneinfo?: string | null;
            /**
             * @description BCP 47 language tag, e.g. `en-US`.
             * @example en-US
             */
            locale?: string | null;
            /** @description Merged into the current address (members set to null are removed); null removes the address. */
            address?: components["schemas"]["AddressPatch"] | null;
            /**
             * @description Merged into the current custom attributes (a member set to null is removed). Every member must be an attribute the tenant's `attribute_schema` declares user-writable (see `AttributeSchema`); any other is a `validation` error on `/attributes/<name>` and nothing changes. The result must satisfy the schema.
             * @example {
             *       "department": "sales"
             *     }
             */
            attributes?: {
                [key: string]: unknown;
            };
        };
        /** @description The signed-in user's current password and the new one. */
        PasswordChange: {
            /** @description The password the user has now. */
            current_password: string;
            /** @description The new password. The server enforces the password policy. */
            new_password: string;
        };
        /** @description The new address, and the current password as re-authentication. */
        EmailChange: {
            /**
             * Format: email
             * @description The address to change to.
             */
            new_email: string;
            /** @description The password the user has now. */
            current_password: string;
        };
        /** @description The code mailed to the new address. */
        EmailChangeVerification: {
            /** @description The verification code. */
            code: string;
        };
        /** @description Re-authentication for deleting the signed-in user's account. */
        AccountDeletion: {
            /** @description The user's password; required when the user has one. */
            current_password?: string;
        };
        /** @description The scopes a user granted a client. */
        Consent: {
            /** @description The client. */
            client_id: string;
            /**
             * @description The client's name, for display.
             * @example Demo
             */
            client_name?: string;
            /**
             * @description The scopes granted.
             * @example [
             *       "openid",
             *       "profile",
             *       "email"
             *     ]
             */
            scopes: string[];
            /**
             * Format: date-time
             * @description When the user first consented.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When the consent last changed.
             */
            updated_at: string;
        };
        /** @description One page of consents, ordered by client ID. */
        ConsentList: {
            items: components["schemas"]["Consent"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description What to revoke besides the user's tokens. */
        UserTokenRevocation: {
            /**
             * @description Also revoke the user's browser sessions, so they must sign in again everywhere.
             * @default false
             */
            sessions?: boolean;
        };
        /** @description What a revocation of a user's tokens revoked. Access tokens are revoked as a whole and not counted. */
        UserTokensRevoked: {
            /**
             * Format: int64
             * @description Refresh tokens this call revoked; tokens revoked before are not counted.
             */
            refresh_tokens_revoked: number;
            /**
             * Format: int64
             * @description Sessions this call revoked, those neither revoked before nor past their absolute expiry (0 unless `sessions` was true).
             */
            sessions_revoked: number;
        };
        /** @description What a revocation of a client's tokens revoked. Access tokens are revoked as a whole and not counted. */
        ClientTokensRevoked: {
            /**
             * Format: int64
             * @description Refresh tokens this call revoked; tokens revoked before are not counted.
             */
            refresh_tokens_revoked: number;
        };
        /**
         * @description A connection's ID, a slug unique within the tenant.
         * @example upstream
         */
        ConnectionId: string;
        /**
         * @description The kind of upstream. `github`, `google`, `microsoft` and `apple` are presets of `oidc` or `oauth2`.
         * @enum {string}
         */
        ConnectionType: "oidc" | "oauth2" | "github" | "google" | "microsoft" | "apple" | "saml" | "ldap";
        /**
         * @description `jit` creates a user on the first sign-in; `link_only` signs in only users already linked.
         * @enum {string}
         */
        ConnectionProvisioning: "jit" | "link_only";
        /**
         * @description Whether a first federated sign-in may be linked to an existing local user with the same email: `never`, or
         *     `verified` (only when the upstream asserts the email verified, and only after the person proves they own the
         *     local account).
         * @enum {string}
         */
        ConnectionLinkByEmail: "never" | "verified";
        /**
         * @description How Gatehouse authenticates at the upstream's token endpoint.
         * @enum {string}
         */
        ConnectionClientAuthMethod: "client_secret_basic" | "client_secret_post" | "private_key_jwt";
        /**
         * @description Defaults for a kind of directory: `openldap` (uid, mail, entryUUID, groupOfNames) or `active_directory` (sAMAccountName and userPrincipalName, objectGUID, memberOf with nested groups).
         * @enum {string}
         */
        ConnectionLDAPPreset: "openldap" | "active_directory";
        /** @description Email domains whose users are sent to this connection (home-realm discovery). */
        ConnectionDomains: string[];
        /**
         * @description Upstream claim or attribute name → Gatehouse user field (`email`, `name`, `given_name`, `family_name`,
         *     `preferred_username`, `picture`, `locale`, `groups`, `roles`) or custom attribute (`attributes.<name>`).
         * @example {
         *       "department": "attributes.department",
         *       "memberOf": "groups"
         *     }
         */
        ConnectionAttributeMapping: {
            [key: string]: string;
        };
        /** @description An upstream identity provider or directory users sign in with. Only the members of its `type` are set; secrets are never returned. */
        Connection: {
            id: components["schemas"]["ConnectionId"];
            type: components["schemas"]["ConnectionType"];
            /** @description Shown on the login button. */
            display_name: string;
            /** @description Whether users may sign in with it. */
            enabled: boolean;
            /** @description Whether the hosted login shows a button for it. */
            show_on_login: boolean;
            domains: components["schemas"]["ConnectionDomains"];
            provisioning: components["schemas"]["ConnectionProvisioning"];
            link_by_email: components["schemas"]["ConnectionLinkByEmail"];
            attribute_mapping: components["schemas"]["ConnectionAttributeMapping"];
            /**
             * Format: uri
             * @description OpenID Connect, OAuth 2.0 and SAML types; the callback URL to register at the upstream.
             */
            redirect_uri?: string;
            /**
             * Format: uri
             * @description `saml`: Gatehouse's service-provider metadata for this connection.
             */
            sp_metadata_url?: string;
            /**
             * Format: uri
             * @description `saml`: the assertion consumer service URL.
             */
            acs_url?: string;
            /** @description Names of the secrets that are stored (their values are never returned). */
            secrets_set?: ("client_secret" | "bind_password" | "private_key_pem")[];
            /**
             * Format: date-time
             * @description When the connection was created.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When the connection last changed.
             */
            updated_at: string;
            /**
             * Format: int64
             * @description Increases with every change; the ETag.
             */
            version: number;
            /**
             * Format: uri
             * @description `oidc`, `microsoft`: the upstream issuer; its discovery document is at `{issuer}/.well-known/openid-configuration`.
             * @example https://accounts.example.com
             */
            issuer?: string;
            /** @description OpenID Connect and OAuth 2.0 types, `apple`: the client ID Gatehouse has at the upstream. */
            client_id?: string;
            /** @description OpenID Connect and OAuth 2.0 types, space-separated; `openid email profile` when absent. */
            scopes?: string;
            /** @description OpenID Connect and OAuth 2.0 types; PKCE (S256) is on unless set to false. */
            pkce?: boolean;
            client_auth_method?: components["schemas"]["ConnectionClientAuthMethod"];
            /**
             * Format: uri
             * @description `oauth2`: the upstream authorization endpoint.
             */
            authorization_endpoint?: string;
            /**
             * Format: uri
             * @description `oauth2`: the upstream token endpoint.
             */
            token_endpoint?: string;
            /**
             * Format: uri
             * @description `oauth2`: where the user's profile is read with the access token.
             */
            userinfo_endpoint?: string;
            /** @description `microsoft`: the Entra tenant IDs whose users may sign in (all when empty with the `organizations` issuer). */
            allowed_tenants?: string[];
            /** @description `apple`: the Apple developer team ID. */
            team_id?: string;
            /** @description `apple` and `private_key_jwt`: the ID of the key in `private_key_pem`. */
            key_id?: string;
            /**
             * Format: uri
             * @description `saml`: where the IdP's metadata is fetched.
             */
            idp_metadata_url?: string;
            /** @description `saml`: the IdP's metadata document. */
            idp_metadata_xml?: string;
            /** @description `saml`: whether AuthnRequests are signed. Assertions must always be signed. */
            sign_requests?: boolean;
            /**
             * @description `ldap`: `ldap://host:port` or `ldaps://host:port`.
             * @example ldaps://ldap.example.com:636
             */
            url?: string;
            /** @description `ldap`: upgrade an `ldap://` connection with StartTLS. */
            start_tls?: boolean;
            /** @description `ldap`: PEM certificates trusted for the directory's TLS certificate (the system roots when absent). */
            ca_pem?: string;
            /** @description `ldap`: the service account that searches for users. */
            bind_dn?: string;
            /** @description `ldap`: where users are searched. */
            user_search_base?: string;
            /**
             * @description `ldap`: the user search filter; `{username}` is replaced with the escaped identifier (RFC 4515).
             * @example (&(objectClass=inetOrgPerson)(|(uid={username})(mail={username})))
             */
            user_search_filter?: string;
            /** @description `ldap`: the attribute that identifies a user for good (`entryUUID`; `objectGUID` for Active Directory). */
            user_id_attribute?: string;
            /** @description `ldap`: where groups are searched; groups are not read when absent. */
            group_search_base?: string;
            /**
             * @description `ldap`: the group search filter; `{dn}` is replaced with the escaped DN of the user.
             * @example (&(objectClass=groupOfNames)(member={dn}))
             */
            group_search_filter?: string;
            /** @description `ldap`: the group attribute that becomes a group name (`cn`). */
            group_name_attribute?: string;
            preset?: components["schemas"]["ConnectionLDAPPreset"];
        };
        /** @description A new connection; set only the members of its `type`. */
        ConnectionCreate: {
            id?: components["schemas"]["ConnectionId"];
            type: components["schemas"]["ConnectionType"];
            /** @description Shown on the login button. */
            display_name: string;
            /** @description True when absent. */
            enabled?: boolean;
            /** @description True when absent, except for `ldap`, which home-realm discovery reaches. */
            show_on_login?: boolean;
            domains?: components["schemas"]["ConnectionDomains"];
            provisioning?: components["schemas"]["ConnectionProvisioning"];
            link_by_email?: components["schemas"]["ConnectionLinkByEmail"];
            attribute_mapping?: components["schemas"]["ConnectionAttributeMapping"];
            /**
             * Format: uri
             * @description `oidc`, `microsoft`: the upstream issuer; its discovery document is at `{issuer}/.well-known/openid-configuration`.
             * @example https://accounts.example.com
             */
            issuer?: string;
            /** @description OpenID Connect and OAuth 2.0 types, `apple`: the client ID Gatehouse has at the upstream. */
            client_id?: string;
            /** @description OpenID Connect and OAuth 2.0 types, space-separated; `openid email profile` when absent. */
            scopes?: string;
            /** @description OpenID Connect and OAuth 2.0 types; PKCE (S256) is on unless set to false. */
            pkce?: boolean;
            client_auth_method?: components["schemas"]["ConnectionClientAuthMethod"];
            /**
             * Format: uri
             * @description `oauth2`: the upstream authorization endpoint.
             */
            authorization_endpoint?: string;
            /**
             * Format: uri
             * @description `oauth2`: the upstream token endpoint.
             */
            token_endpoint?: string;
            /**
             * Format: uri
             * @description `oauth2`: where the user's profile is read with the access token.
             */
            userinfo_endpoint?: string;
            /** @description `microsoft`: the Entra tenant IDs whose users may sign in (all when empty with the `organizations` issuer). */
            allowed_tenants?: string[];
            /** @description `apple`: the Apple developer team ID. */
            team_id?: string;
            /** @description `apple` and `private_key_jwt`: the ID of the key in `private_key_pem`. */
            key_id?: string;
            /**
             * Format: uri
             * @description `saml`: where the IdP's metadata is fetched.
             */
            idp_metadata_url?: string;
            /** @description `saml`: the IdP's metadata document. */
            idp_metadata_xml?: string;
            /** @description `saml`: whether AuthnRequests are signed. Assertions must always be signed. */
            sign_requests?: boolean;
            /**
             * @description `ldap`: `ldap://host:port` or `ldaps://host:port`.
             * @example ldaps://ldap.example.com:636
             */
            url?: string;
            /** @description `ldap`: upgrade an `ldap://` connection with StartTLS. */
            start_tls?: boolean;
            /** @description `ldap`: PEM certificates trusted for the directory's TLS certificate (the system roots when absent). */
            ca_pem?: string;
            /** @description `ldap`: the service account that searches for users. */
            bind_dn?: string;
            /** @description `ldap`: where users are searched. */
            user_search_base?: string;
            /**
             * @description `ldap`: the user search filter; `{username}` is replaced with the escaped identifier (RFC 4515).
             * @example (&(objectClass=inetOrgPerson)(|(uid={username})(mail={username})))
             */
            user_search_filter?: string;
            /** @description `ldap`: the attribute that identifies a user for good (`entryUUID`; `objectGUID` for Active Directory). */
            user_id_attribute?: string;
            /** @description `ldap`: where groups are searched; groups are not read when absent. */
            group_search_base?: string;
            /**
             * @description `ldap`: the group search filter; `{dn}` is replaced with the escaped DN of the user.
             * @example (&(objectClass=groupOfNames)(member={dn}))
             */
            group_search_filter?: string;
            /** @description `ldap`: the group attribute that becomes a group name (`cn`). */
            group_name_attribute?: string;
            preset?: components["schemas"]["ConnectionLDAPPreset"];
            /** @description OpenID Connect and OAuth 2.0 types (not `apple`). */
            client_secret?: string;
            /** @description `ldap`: the password of `bind_dn`. */
            bind_password?: string;
            /** @description `apple` (its ES256 key), `private_key_jwt`, `saml` request signing and assertion decryption (PEM). */
            private_key_pem?: string;
        };
        /** @description Changes to a connection (JSON merge patch); `type` cannot change. */
        ConnectionPatch: {
            /** @description Shown on the login button. */
            display_name?: string;
            /** @description Whether users may sign in with it. */
            enabled?: boolean;
            /** @description Whether the hosted login shows a button for it. */
            show_on_login?: boolean;
            domains?: components["schemas"]["ConnectionDomains"];
            provisioning?: components["schemas"]["ConnectionProvisioning"];
            link_by_email?: components["schemas"]["ConnectionLinkByEmail"];
            attribute_mapping?: components["schemas"]["ConnectionAttributeMapping"];
            /**
             * Format: uri
             * @description `oidc`, `microsoft`: the upstream issuer; its discovery document is at `{issuer}/.well-known/openid-configuration`.
             * @example https://accounts.example.com
             */
            issuer?: string;
            /** @description OpenID Connect and OAuth 2.0 types, `apple`: the client ID Gatehouse has at the upstream. */
            client_id?: string;
            /** @description OpenID Connect and OAuth 2.0 types, space-separated; `openid email profile` when absent. */
            scopes?: string;
            /** @description OpenID Connect and OAuth 2.0 types; PKCE (S256) is on unless set to false. */
            pkce?: boolean;
            client_auth_method?: components["schemas"]["ConnectionClientAuthMethod"];
            /**
             * Format: uri
             * @description `oauth2`: the upstream authorization endpoint.
             */
            authorization_endpoint?: string;
            /**
             * Format: uri
             * @description `oauth2`: the upstream token endpoint.
             */
            token_endpoint?: string;
            /**
             * Format: uri
             * @description `oauth2`: where the user's profile is read with the access token.
             */
            userinfo_endpoint?: string;
            /** @description `microsoft`: the Entra tenant IDs whose users may sign in (all when empty with the `organizations` issuer). */
            allowed_tenants?: string[];
            /** @description `apple`: the Apple developer team ID. */
            team_id?: string;
            /** @description `apple` and `private_key_jwt`: the ID of the key in `private_key_pem`. */
            key_id?: string;
            /**
             * Format: uri
             * @description `saml`: where the IdP's metadata is fetched.
             */
            idp_metadata_url?: string;
            /** @description `saml`: the IdP's metadata document. */
            idp_metadata_xml?: string;
            /** @description `saml`: whether AuthnRequests are signed. Assertions must always be signed. */
            sign_requests?: boolean;
            /**
             * @description `ldap`: `ldap://host:port` or `ldaps://host:port`.
             * @example ldaps://ldap.example.com:636
             */
            url?: string;
            /** @description `ldap`: upgrade an `ldap://` connection with StartTLS. */
            start_tls?: boolean;
            /** @description `ldap`: PEM certificates trusted for the directory's TLS certificate (the system roots when absent). */
            ca_pem?: string;
            /** @description `ldap`: the service account that searches for users. */
            bind_dn?: string;
            /** @description `ldap`: where users are searched. */
            user_search_base?: string;
            /**
             * @description `ldap`: the user search filter; `{username}` is replaced with the escaped identifier (RFC 4515).
             * @example (&(objectClass=inetOrgPerson)(|(uid={username})(mail={username})))
             */
            user_search_filter?: string;
            /** @description `ldap`: the attribute that identifies a user for good (`entryUUID`; `objectGUID` for Active Directory). */
            user_id_attribute?: string;
            /** @description `ldap`: where groups are searched; groups are not read when absent. */
            group_search_base?: string;
            /**
             * @description `ldap`: the group search filter; `{dn}` is replaced with the escaped DN of the user.
             * @example (&(objectClass=groupOfNames)(member={dn}))
             */
            group_search_filter?: string;
            /** @description `ldap`: the group attribute that becomes a group name (`cn`). */
            group_name_attribute?: string;
            preset?: components["schemas"]["ConnectionLDAPPreset"];
            /** @description OpenID Connect and OAuth 2.0 types (not `apple`). */
            client_secret?: string;
            /** @description `ldap`: the password of `bind_dn`. */
            bind_password?: string;
            /** @description `apple` (its ES256 key), `private_key_jwt`, `saml` request signing and assertion decryption (PEM). */
            private_key_pem?: string;
        };
        /** @description One page of connections. */
        ConnectionList: {
            items: components["schemas"]["Connection"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description A user's identity at a connection, by which they sign in through it. */
        FederatedIdentity: {
            connection: components["schemas"]["ConnectionId"];
            /** @description The upstream's stable identifier of the user (`sub`, `oid`+`tid`, the LDAP ID attribute, the SAML NameID). */
            subject: string;
            /** @description The email the upstream last asserted. */
            email?: string;
            /**
             * Format: date-time
             * @description When the identity was linked to the user.
             */
            linked_at: string;
            /**
             * Format: date-time
             * @description When the user last signed in with it; absent when never.
             */
            last_used_at?: string;
        };
        /**
         * @description JWS algorithm of a token-signing key.
         * @enum {string}
         */
        SigningKeyAlg: "RS256" | "ES256" | "EdDSA";
        /** @description A token-signing key of a tenant, without its private part. */
        SigningKey: {
            /** @description Key ID, the `kid` header of the tokens it signs. */
            kid: string;
            alg: components["schemas"]["SigningKeyAlg"];
            /**
             * @description Always `sig`.
             * @enum {string}
             */
            use: "sig";
            /**
             * @description `active`: signs new tokens (one key per algorithm: RS256 and ES256 always, EdDSA while a client of the tenant asks for EdDSA ID tokens). `retired`: replaced by a newer key, or an EdDSA key no client uses any more; it signs nothing but stays published until `expires_at`.
             * @enum {string}
             */
            status: "active" | "retired";
            /**
             * Format: date-time
             * @description When the key was created.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When the key was retired; null while it is active.
             */
            retired_at: string | null;
            /**
             * Format: date-time
             * @description When the key leaves the JWKS, once every token it signed has expired; null while it is active.
             */
            expires_at: string | null;
            /**
             * @description The public key as a JSON Web Key (RFC 7517), as published in the tenant's JWKS (`/keys`). Never contains private key material.
             * @example {
             *       "kty": "EC",
             *       "kid": "Y2F0cy1hcmUtY3V0ZQ",
             *       "alg": "ES256",
             *       "use": "sig",
             *       "crv": "P-256",
             *       "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
             *       "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
             *     }
             */
            public_jwk: {
                [key: string]: unknown;
            };
        };
        /** @description All signing keys of a tenant, newest first. */
        SigningKeySet: {
            items: components["schemas"]["SigningKey"][];
        };
        /** @description A SAML signing certificate of a tenant (self-signed, RSA), without its private key. */
        SamlSigningCertificate: {
            /** @description The certificate's ID. */
            id: string;
            /**
             * @description `active`: signs Responses and LogoutResponses. `announced`: listed in metadata as the next certificate; it signs nothing until `activate`.
             * @enum {string}
             */
            status: "active" | "announced";
            /** @description The X.509 certificate, PEM, to give service providers that do not read metadata. */
            certificate: string;
            /** @description SHA-256 of the certificate's DER, as colon-separated upper-case hex. */
            sha256_fingerprint: string;
            /**
             * Format: date-time
             * @description When the certificate was made.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When it started to sign; null while it is announced.
             */
            activated_at: string | null;
            /**
             * Format: date-time
             * @description The end of the certificate's validity (SAML trusts the key, not the dates; some service providers check them).
             */
            not_after: string;
        };
        /** @description The certificates a tenant's SAML metadata lists, the active one first. */
        SamlSigningCertificateSet: {
            items: components["schemas"]["SamlSigningCertificate"][];
        };
        /** @description A step of a SAML certificate rotation. */
        SamlCertificateRotation: {
            /**
             * @description `announce` the next certificate, or `activate` the announced one.
             * @enum {string}
             */
            step: "announce" | "activate";
        };
        /** @description Which keys to rotate. */
        SigningKeyRotation: {
            /**
             * @description Rotate the active keys of these algorithms; of every algorithm the tenant has an active key for when absent.
             * @example [
             *       "RS256"
             *     ]
             */
            algs?: components["schemas"]["SigningKeyAlg"][];
        };
        /** @description Liveness: the process is up. */
        Health: {
            /** @enum {string} */
            status: "ok";
        };
        /** @description Readiness: whether the server can serve traffic. */
        Readiness: {
            /**
             * @description `ok` when every check passes.
             * @enum {string}
             */
            status: "ok" | "unavailable";
            /**
             * @description Result per dependency: `ok` or an error message.
             * @example {
             *       "database": "ok"
             *     }
             */
            checks: {
                [key: string]: string;
            };
        };
    };
    responses: {
        /** @description The connection's directory cannot be reached (`directory-unavailable`); nothing changed. */
        DirectoryUnavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:directory-unavailable",
                 *       "title": "Directory unavailable",
                 *       "status": 503,
                 *       "detail": "Sign-in with this directory is unavailable. Try again later.",
                 *       "instance": "/admin/v1/connections/corp-ldap/sync",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The database of the region holding the user's data cannot be reached (data residency); users of other regions are unaffected. Nothing changed; retry later. */
        RegionUnavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:unavailable",
                 *       "title": "Service unavailable",
                 *       "status": 503,
                 *       "detail": "The database is unreachable. Retry shortly.",
                 *       "instance": "/admin/v1/users/01935f2e-8b7a-7cc4-9d2e-3f4a5b6c7d8e",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The identity is the user's last way to sign in (`last-sign-in-method`); nothing changed. */
        LastSignInMethod: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:last-sign-in-method",
                 *       "title": "Last way to sign in",
                 *       "status": 409,
                 *       "detail": "This identity is your last way to sign in. Set a password or link another identity first.",
                 *       "instance": "/v1/me/identities/google",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request is invalid: a parameter or the body does not match the contract or a rule (`validation`), or the body is not JSON (`malformed-json`). */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:validation",
                 *       "title": "Invalid request",
                 *       "status": 400,
                 *       "detail": "The request body is invalid.",
                 *       "instance": "/admin/v1/users",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f",
                 *       "errors": [
                 *         {
                 *           "field": "/email",
                 *           "message": "must be a valid email address"
                 *         }
                 *       ]
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No valid bearer token was sent. */
        Unauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:unauthorized",
                 *       "title": "Unauthorized",
                 *       "status": 401,
                 *       "detail": "A valid bearer token is required.",
                 *       "instance": "/admin/v1/users",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The token lacks the scope the operation requires, or may not act on this tenant. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:forbidden",
                 *       "title": "Forbidden",
                 *       "status": 403,
                 *       "detail": "The token lacks the users:write scope.",
                 *       "instance": "/admin/v1/users",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The resource (or its tenant) does not exist. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:not-found",
                 *       "title": "Not found",
                 *       "status": 404,
                 *       "detail": "No user with that ID.",
                 *       "instance": "/admin/v1/users",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The consent to a required purpose cannot be withdrawn (`required-purpose`); a person leaves a required purpose only by deleting their account. */
        RequiredPurpose: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:required-purpose",
                 *       "title": "Required purpose",
                 *       "status": 409,
                 *       "detail": "The purpose \"terms\" is required to have an account; withdraw it by deleting the account (DELETE /v1/me).",
                 *       "instance": "/v1/me/privacy/purposes/terms"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The change conflicts with the current state, e.g. a duplicate email, username, slug or client ID (`conflict`), or an `Idempotency-Key` was reused with a different request (`idempotency-conflict`). */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:conflict",
                 *       "title": "Conflict",
                 *       "status": 409,
                 *       "detail": "A user with that email already exists.",
                 *       "instance": "/admin/v1/users",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description `If-Match` does not match the resource's current `ETag`. */
        PreconditionFailed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:precondition-failed",
                 *       "title": "Precondition failed",
                 *       "status": 412,
                 *       "detail": "The user was changed since it was read.",
                 *       "instance": "/admin/v1/users",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request body exceeds the size limit. */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:payload-too-large",
                 *       "title": "Payload too large",
                 *       "status": 413,
                 *       "detail": "The request body is larger than 1048576 bytes.",
                 *       "instance": "/admin/v1/users",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request body's content type is not accepted by this operation. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:unsupported-media-type",
                 *       "title": "Unsupported media type",
                 *       "status": 415,
                 *       "detail": "Send application/json.",
                 *       "instance": "/admin/v1/users",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Rate limit exceeded. */
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:rate-limited",
                 *       "title": "Too many requests",
                 *       "status": 429,
                 *       "detail": "Retry after 2 seconds.",
                 *       "instance": "/admin/v1/users",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The server failed; the cause is logged under `request_id`. */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:internal",
                 *       "title": "Internal error",
                 *       "status": 500,
                 *       "detail": "The server could not complete the request.",
                 *       "instance": "/admin/v1/users",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No access token was sent (`WWW-Authenticate: Bearer realm="gatehouse"`), or it is malformed, expired, revoked, not a user's, or issued by another tenant (`error="invalid_token"` in `WWW-Authenticate`); or the session cookie's sign-in is not complete: it still owes a second factor, a risk challenge or a password change (`error="insufficient_user_authentication"`). */
        AccountUnauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:unauthorized",
                 *       "title": "Unauthorized",
                 *       "status": 401,
                 *       "detail": "The access token is invalid, revoked or expired.",
                 *       "instance": "/v1/me/sessions",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The access token lacks the `account` scope (`WWW-Authenticate: Bearer error="insufficient_scope"`), or a request with the session cookie that changes something comes from another origin. */
        AccountForbidden: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:forbidden",
                 *       "title": "Forbidden",
                 *       "status": 403,
                 *       "detail": "This operation requires the scope account.",
                 *       "instance": "/v1/me/sessions",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The access token lacks the `account` scope (`forbidden`, `WWW-Authenticate: Bearer error="insufficient_scope"`), the operation needs a more recent sign-in (`reauthentication-required`, `WWW-Authenticate: Bearer error="insufficient_user_authentication", max_age=300`) or a sign-in with the second factor the user already has (`reauthentication-required`, `WWW-Authenticate: Bearer error="insufficient_user_authentication", acr_values="urn:gatehouse:acr:mfa"`), or the tenant's MFA policy does not allow the factor (`forbidden`, no `WWW-Authenticate`). */
        AccountReauthenticationRequired: {
            headers: {
                /** @description The authentication challenge (RFC 6750, RFC 9470), when the token is the reason. */
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:reauthentication-required",
                 *       "title": "Reauthentication required",
                 *       "status": 403,
                 *       "detail": "Sign in again; changing your second factors needs a sign-in less than 5 minutes old.",
                 *       "instance": "/v1/me/mfa/totp",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The identifier or the password is wrong. Unknown, disabled and locked users get the same answer. */
        InvalidCredentials: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:invalid-credentials",
                 *       "title": "Invalid credentials",
                 *       "status": 401,
                 *       "detail": "Incorrect email/username or password.",
                 *       "instance": "/login/api/authenticate",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request carries no session cookie of a sign-in that satisfies the authorization request. */
        LoginRequired: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:unauthorized",
                 *       "title": "Unauthorized",
                 *       "status": 401,
                 *       "detail": "Sign in first.",
                 *       "instance": "/login/api/consent",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The client is not first-party, or the request came from another origin than the issuer's, or (`authenticateLogin`) the user must verify their email first (`urn:gatehouse:problem:email-unverified`), or (`consentLogin`) the session still lacks the second factor the sign-in needs (`urn:gatehouse:problem:mfa-required`), or (`loginMFAChallenge`) the method cannot be used or no second factor is due, or (`authenticateLogin`) a breached password must be changed on the hosted page first (`urn:gatehouse:problem:password-change-required`). */
        LoginForbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:forbidden",
                 *       "title": "Forbidden",
                 *       "status": 403,
                 *       "detail": "Only first-party clients may use the login API.",
                 *       "instance": "/login/api/authenticate",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The code or the passkey's answer is wrong (`urn:gatehouse:problem:mfa-invalid`), or the request carries no session cookie of a sign-in that satisfies the authorization request (`unauthorized`). */
        MFAInvalid: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:mfa-invalid",
                 *       "title": "Verification failed",
                 *       "status": 401,
                 *       "detail": "The code is wrong. Try again.",
                 *       "instance": "/login/api/mfa",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The challenge expired, was used, ran out of attempts (5) or is unknown; start a new one. */
        MFAChallengeExpired: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:mfa-challenge-expired",
                 *       "title": "Challenge expired",
                 *       "status": 410,
                 *       "detail": "The challenge expired or was used up. Start again.",
                 *       "instance": "/login/api/mfa",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No pending authorization request has that ID (unknown, expired or already answered). */
        LoginRequestNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "urn:gatehouse:problem:not-found",
                 *       "title": "Not found",
                 *       "status": 404,
                 *       "detail": "The authorization request is unknown or expired.",
                 *       "instance": "/login/api/authenticate",
                 *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        /** @description The metric. */
        AnalyticsMetricParam: "signups" | "signins" | "active_users" | "mfa_adoption" | "risk_decisions" | "token_issuance";
        /** @description Start of the period (RFC 3339); default `to` minus 7 days. Rounded down to its bucket. */
        AnalyticsFromParam: string;
        /** @description End of the period (RFC 3339, excluded); default now. */
        AnalyticsToParam: string;
        /** @description Bucket size; default `day`. */
        AnalyticsIntervalParam: "hour" | "day" | "week";
        /** @description Tenant slug. */
        TenantParam: components["schemas"]["TenantSlug"];
        /** @description Connection ID (its slug). */
        ConnectionIdParam: components["schemas"]["ConnectionId"];
        /** @description The mail. */
        MailKindParam: components["schemas"]["MailKind"];
        /** @description The language. */
        MailLangParam: "en" | "de";
        /** @description Privacy purpose ID (a slug). */
        PurposeIdParam: components["schemas"]["PurposeId"];
        /** @description Data export ID. */
        ExportIdParam: string;
        /** @description Consent receipt ID (the ledger entry's ID). */
        ReceiptIdParam: string;
        /** @description User ID. */
        UserIdParam: string;
        /** @description Client ID. */
        ClientIdParam: string;
        /** @description API ID. */
        ApiIdParam: string;
        /** @description Role ID. */
        RoleIdParam: string;
        /** @description Organization ID. */
        OrgIdParam: string;
        /** @description Also remove the API's scopes from the roles that name them, instead of refusing (409). */
        CascadeParam: boolean;
        /** @description SAML service provider ID. */
        SamlSpIdParam: string;
        /** @description Invitation ID. */
        InvitationIdParam: string;
        /** @description Event ID. */
        EventIdParam: string;
        /** @description Webhook ID. */
        WebhookIdParam: string;
        /** @description API key ID. */
        KeyIdParam: string;
        /** @description Initial access token ID. */
        TokenIdParam: string;
        /** @description Session ID. */
        SessionIdParam: string;
        /** @description MFA factor ID. */
        FactorIdParam: string;
        /** @description ID of a started enrolment (from `startMyTOTPEnrolment` or `startMyWebAuthnRegistration`). */
        EnrolmentIdParam: string;
        /** @description Maximum number of items to return. */
        LimitParam: number;
        /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
        CursorParam: string;
        /**
         * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
         * @example "3"
         */
        IfMatchHeader: string;
        /**
         * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
         * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
         */
        IdempotencyKeyHeader: string;
        /** @description Only the user with this email address (case-insensitive exact match). */
        EmailFilter: string;
        /** @description Only the user with this username (case-insensitive exact match). */
        UsernameFilter: string;
        /** @description Only users whose email, username or name (name, given, family or nickname) contains this string (case-insensitive), or whose ID it is. */
        QueryFilter: string;
        /**
         * @description Only users whose top-level custom attribute `key` equals `value` (compared as strings), given as `key=value`.
         * @example plan=pro
         */
        AttributeFilter: string;
    };
    requestBodies: never;
    headers: {
        /**
         * @description Entity tag of the returned representation, derived from `version`. Send it as `If-Match` to make a change conditional.
         * @example "3"
         */
        ETag: string;
        /**
         * @description Opaque entity tag of the returned representation (a privacy purpose or a consent ledger entry, which take no `If-Match`).
         * @example "2.1764583390004000"
         */
        EntityTag: string;
        /**
         * @description Path of the created resource.
         * @example /admin/v1/users/01935f2e-8b7a-7cc4-9d2e-3f4a5b6c7d8e
         */
        Location: string;
        /**
         * @description The authentication scheme (RFC 6750), e.g. `Bearer realm="gatehouse"`.
         * @example Bearer realm="gatehouse"
         */
        WWWAuthenticate: string;
        /**
         * @description Seconds to wait before retrying.
         * @example 2
         */
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listTenants: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of tenants, ordered by creation time. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createTenant: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TenantCreate"];
            };
        };
        responses: {
            /** @description The tenant was created. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateTenant: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["TenantPatch"];
                "application/json": components["schemas"]["TenantPatch"];
            };
        };
        responses: {
            /** @description The updated tenant. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listUsers: {
        parameters: {
            query?: {
                /** @description Only the user with this email address (case-insensitive exact match). */
                email?: components["parameters"]["EmailFilter"];
                /** @description Only the user with this username (case-insensitive exact match). */
                username?: components["parameters"]["UsernameFilter"];
                /** @description Only users whose email, username or name (name, given, family or nickname) contains this string (case-insensitive), or whose ID it is. */
                q?: components["parameters"]["QueryFilter"];
                /**
                 * @description Only users whose top-level custom attribute `key` equals `value` (compared as strings), given as `key=value`.
                 * @example plan=pro
                 */
                attribute?: components["parameters"]["AttributeFilter"];
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of users. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RegionUnavailable"];
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserCreate"];
            };
        };
        responses: {
            /** @description The user was created. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RegionUnavailable"];
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["UserPatch"];
                "application/json": components["schemas"]["UserPatch"];
            };
        };
        responses: {
            /** @description The updated user. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    disableUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user, now disabled. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    moveUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserMove"];
            };
        };
        responses: {
            /** @description The user, now in the new region. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RegionUnavailable"];
        };
    };
    enableUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user, now enabled. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    setUserPassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserPassword"];
            };
        };
        responses: {
            /** @description The password was set. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listUserMFAFactors: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of factors. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MFAFactorList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteUserMFAFactor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description MFA factor ID. */
                factor_id: components["parameters"]["FactorIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The factor is removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    resetUserMFA: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The factors are removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listInvitations: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of pending invitations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createInvitation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationCreate"];
            };
        };
        responses: {
            /** @description The invitation was created and mailed. */
            201: {
                headers: {
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invitation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Invitation ID. */
                invitation_id: components["parameters"]["InvitationIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The invitation is revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listClients: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of clients, ordered by creation time. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createClient: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClientCreate"];
            };
        };
        responses: {
            /** @description The client was created. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientWithSecret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getClient: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The client. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Client"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteClient: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The client was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateClient: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["ClientPatch"];
                "application/json": components["schemas"]["ClientPatch"];
            };
        };
        responses: {
            /** @description The updated client. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Client"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    rotateClientSecret: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new secret. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientSecret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listApis: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of APIs, ordered by creation time. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createApi: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiCreate"];
            };
        };
        responses: {
            /** @description The API was created. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Api"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getApi: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description API ID. */
                api_id: components["parameters"]["ApiIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The API. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Api"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteApi: {
        parameters: {
            query?: {
                /** @description Also remove the API's scopes from the roles that name them, instead of refusing (409). */
                cascade?: components["parameters"]["CascadeParam"];
            };
            header?: never;
            path: {
                /** @description API ID. */
                api_id: components["parameters"]["ApiIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The API was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateApi: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description API ID. */
                api_id: components["parameters"]["ApiIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["ApiPatch"];
                "application/json": components["schemas"]["ApiPatch"];
            };
        };
        responses: {
            /** @description The updated API. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Api"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listClientApis: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of grants, ordered by API ID. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientApiGrantList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    grantClientApi: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
                /** @description API ID. */
                api_id: components["parameters"]["ApiIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClientApiGrantPut"];
            };
        };
        responses: {
            /** @description The grant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientApiGrant"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeClientApi: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
                /** @description API ID. */
                api_id: components["parameters"]["ApiIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The grant was removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listRoles: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of roles. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createRole: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RoleCreate"];
            };
        };
        responses: {
            /** @description The role was created. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The role. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The role was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateRole: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["RolePatch"];
                "application/json": components["schemas"]["RolePatch"];
            };
        };
        responses: {
            /** @description The updated role. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listUserRoles: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of roles. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    assignUserRoles: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserRolesAssign"];
            };
        };
        responses: {
            /** @description The roles are assigned. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    removeUserRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The role was removed from the user. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listOrganizations: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of organizations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createOrganization: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrganizationCreate"];
            };
        };
        responses: {
            /** @description The organization was created. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organization"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getOrganization: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organization. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organization"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteOrganization: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organization was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateOrganization: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["OrganizationPatch"];
                "application/json": components["schemas"]["OrganizationPatch"];
            };
        };
        responses: {
            /** @description The updated organization. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organization"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listOrganizationInvitations: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of invitations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationInvitationList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createOrganizationInvitation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrganizationInvitationCreate"];
            };
        };
        responses: {
            /** @description The invitation was mailed. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationInvitation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteOrganizationInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description Invitation ID. */
                invitation_id: components["parameters"]["InvitationIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The invitation is gone. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listOrganizationMembers: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of members. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationMemberList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    addOrganizationMember: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrganizationMemberAdd"];
            };
        };
        responses: {
            /** @description The user is a member. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationMember"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    removeOrganizationMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user is no longer a member. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listOrganizationMemberRoles: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of roles. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    assignOrganizationMemberRoles: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserRolesAssign"];
            };
        };
        responses: {
            /** @description The roles are assigned. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    removeOrganizationMemberRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The role was removed from the member. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of API keys, ordered by creation time. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyCreate"];
            };
        };
        responses: {
            /** @description The key was created. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            201: {
                headers: {
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyWithToken"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description API key ID. */
                key_id: components["parameters"]["KeyIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key is revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listInitialAccessTokens: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of initial access tokens, ordered by ID. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InitialAccessTokenList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createInitialAccessToken: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InitialAccessTokenCreate"];
            };
        };
        responses: {
            /** @description The token was created. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InitialAccessTokenWithToken"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteInitialAccessToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Initial access token ID. */
                token_id: components["parameters"]["TokenIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token is deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
                /** @description Only events of this type (exact), e.g. `login.failed`. */
                type?: string;
                /** @description Only events about this user. */
                user_id?: string;
                /** @description Only events from this client IP address (exact). */
                ip?: string;
                /** @description Only events with this risk decision. */
                decision?: "allow" | "challenge" | "deny";
                /** @description Only events at or after this time. */
                since?: string;
                /** @description Only events before this time. */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of events, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Event ID. */
                event_id: components["parameters"]["EventIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Event"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listWebhooks: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of webhooks. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookCreate"];
            };
        };
        responses: {
            /** @description The webhook was created. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            201: {
                headers: {
                    Location: components["headers"]["Location"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Webhook ID. */
                webhook_id: components["parameters"]["WebhookIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Webhook ID. */
                webhook_id: components["parameters"]["WebhookIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook is deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description Webhook ID. */
                webhook_id: components["parameters"]["WebhookIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["WebhookPatch"];
                "application/json": components["schemas"]["WebhookPatch"];
            };
        };
        responses: {
            /** @description The updated webhook. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Webhook ID. */
                webhook_id: components["parameters"]["WebhookIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of deliveries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listUserSessions: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of sessions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeUserSessions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sessions are revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeUserSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Session ID. */
                session_id: components["parameters"]["SessionIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session is revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listUserConsents: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of consents. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeUserConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The consent is revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeUserTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["UserTokenRevocation"];
            };
        };
        responses: {
            /** @description What was revoked. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserTokensRevoked"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeClientTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What was revoked. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientTokensRevoked"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getSigningKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signing keys. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SigningKeySet"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    rotateSigningKeys: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SigningKeyRotation"];
            };
        };
        responses: {
            /** @description The signing keys after the rotation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SigningKeySet"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getSamlCertificates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The certificates. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SamlSigningCertificateSet"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    rotateSamlCertificates: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SamlCertificateRotation"];
            };
        };
        responses: {
            /** @description The certificates after the step. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SamlSigningCertificateSet"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listSamlServiceProviders: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of service providers, ordered by creation time. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SamlServiceProviderList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createSamlServiceProvider: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SamlServiceProviderCreate"];
            };
        };
        responses: {
            /** @description The service provider was registered. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SamlServiceProvider"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getSamlServiceProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description SAML service provider ID. */
                sp_id: components["parameters"]["SamlSpIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The service provider. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SamlServiceProvider"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteSamlServiceProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description SAML service provider ID. */
                sp_id: components["parameters"]["SamlSpIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The service provider was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateSamlServiceProvider: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description SAML service provider ID. */
                sp_id: components["parameters"]["SamlSpIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["SamlServiceProviderPatch"];
                "application/json": components["schemas"]["SamlServiceProviderPatch"];
            };
        };
        responses: {
            /** @description The updated service provider. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SamlServiceProvider"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getAnalytics: {
        parameters: {
            query?: {
                /** @description Start of the period (RFC 3339); default `to` minus 7 days. Rounded down to its bucket. */
                from?: components["parameters"]["AnalyticsFromParam"];
                /** @description End of the period (RFC 3339, excluded); default now. */
                to?: components["parameters"]["AnalyticsToParam"];
                /** @description Bucket size; default `day`. */
                interval?: components["parameters"]["AnalyticsIntervalParam"];
            };
            header?: never;
            path: {
                /** @description The metric. */
                metric: components["parameters"]["AnalyticsMetricParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metric's series. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnalyticsReport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getRiskPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The effective policy. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RiskPolicy"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    replaceRiskPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RiskPolicy"];
            };
        };
        responses: {
            /** @description The effective policy now in force. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RiskPolicy"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getUserRiskSummary: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user's risk summary. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RiskSummary"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listConnections: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of connections, ordered by ID. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createConnection: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectionCreate"];
            };
        };
        responses: {
            /** @description The connection was created. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection, without its secrets. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateConnection: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["ConnectionPatch"];
                "application/json": components["schemas"]["ConnectionPatch"];
            };
        };
        responses: {
            /** @description The updated connection. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    syncConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What the sync did. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectionSyncResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["DirectoryUnavailable"];
        };
    };
    unlinkUserIdentity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The identity is unlinked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listPrivacyPurposes: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of purposes. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyPurposeList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createPrivacyPurpose: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrivacyPurposeCreate"];
            };
        };
        responses: {
            /** @description The purpose was created. */
            201: {
                headers: {
                    ETag: components["headers"]["EntityTag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyPurpose"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getPrivacyPurpose: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The purpose. */
            200: {
                headers: {
                    ETag: components["headers"]["EntityTag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyPurpose"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    replacePrivacyPurpose: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrivacyPurposeUpdate"];
            };
        };
        responses: {
            /** @description The purpose as it is now. */
            200: {
                headers: {
                    ETag: components["headers"]["EntityTag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyPurpose"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deletePrivacyPurpose: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The purpose was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getUserPrivacy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user's privacy state. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyState"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listUserPrivacyHistory: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of ledger entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyHistory"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    setUserPrivacyPurpose: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrivacyDecisionAdmin"];
            };
        };
        responses: {
            /** @description The new ledger entry. */
            200: {
                headers: {
                    ETag: components["headers"]["EntityTag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyLedgerEntry"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["RequiredPurpose"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getUserPrivacyReceipt: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Consent receipt ID (the ledger entry's ID). */
                receipt_id: components["parameters"]["ReceiptIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The receipt. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyReceipt"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    startUserExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted; the export is being built. Poll it with its ID. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataExportStarted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getUserExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Data export ID. */
                export_id: components["parameters"]["ExportIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export's status and, once `ready`, its document (then also with `Content-Disposition` so browsers save it). */
            200: {
                headers: {
                    /** @description `attachment; filename="gatehouse-export-{export_id}.json"` once the export is ready. */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataExport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantUsers: {
        parameters: {
            query?: {
                /** @description Only the user with this email address (case-insensitive exact match). */
                email?: components["parameters"]["EmailFilter"];
                /** @description Only the user with this username (case-insensitive exact match). */
                username?: components["parameters"]["UsernameFilter"];
                /** @description Only users whose email, username or name (name, given, family or nickname) contains this string (case-insensitive), or whose ID it is. */
                q?: components["parameters"]["QueryFilter"];
                /**
                 * @description Only users whose top-level custom attribute `key` equals `value` (compared as strings), given as `key=value`.
                 * @example plan=pro
                 */
                attribute?: components["parameters"]["AttributeFilter"];
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of users. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RegionUnavailable"];
        };
    };
    createTenantUser: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserCreate"];
            };
        };
        responses: {
            /** @description The user was created. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RegionUnavailable"];
        };
    };
    deleteTenantUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateTenantUser: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["UserPatch"];
                "application/json": components["schemas"]["UserPatch"];
            };
        };
        responses: {
            /** @description The updated user. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    disableTenantUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user, now disabled. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    moveTenantUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserMove"];
            };
        };
        responses: {
            /** @description The user, now in the new region. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RegionUnavailable"];
        };
    };
    enableTenantUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user, now enabled. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    setTenantUserPassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserPassword"];
            };
        };
        responses: {
            /** @description The password was set. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantUserMFAFactors: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of factors. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MFAFactorList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTenantUserMFAFactor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description MFA factor ID. */
                factor_id: components["parameters"]["FactorIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The factor is removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    resetTenantUserMFA: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The factors are removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantInvitations: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of pending invitations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createTenantInvitation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationCreate"];
            };
        };
        responses: {
            /** @description The invitation was created and mailed. */
            201: {
                headers: {
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invitation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeTenantInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Invitation ID. */
                invitation_id: components["parameters"]["InvitationIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The invitation is revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantClients: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of clients, ordered by creation time. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createTenantClient: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClientCreate"];
            };
        };
        responses: {
            /** @description The client was created. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientWithSecret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantClient: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The client. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Client"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTenantClient: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The client was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateTenantClient: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["ClientPatch"];
                "application/json": components["schemas"]["ClientPatch"];
            };
        };
        responses: {
            /** @description The updated client. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Client"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    rotateTenantClientSecret: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new secret. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientSecret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantApis: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of APIs, ordered by creation time. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createTenantApi: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiCreate"];
            };
        };
        responses: {
            /** @description The API was created. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Api"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantApi: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description API ID. */
                api_id: components["parameters"]["ApiIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The API. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Api"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTenantApi: {
        parameters: {
            query?: {
                /** @description Also remove the API's scopes from the roles that name them, instead of refusing (409). */
                cascade?: components["parameters"]["CascadeParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description API ID. */
                api_id: components["parameters"]["ApiIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The API was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateTenantApi: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description API ID. */
                api_id: components["parameters"]["ApiIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["ApiPatch"];
                "application/json": components["schemas"]["ApiPatch"];
            };
        };
        responses: {
            /** @description The updated API. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Api"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantClientApis: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of grants, ordered by API ID. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientApiGrantList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    grantTenantClientApi: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
                /** @description API ID. */
                api_id: components["parameters"]["ApiIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClientApiGrantPut"];
            };
        };
        responses: {
            /** @description The grant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientApiGrant"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeTenantClientApi: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
                /** @description API ID. */
                api_id: components["parameters"]["ApiIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The grant was removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantRoles: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of roles. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createTenantRole: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RoleCreate"];
            };
        };
        responses: {
            /** @description The role was created. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The role. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTenantRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The role was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateTenantRole: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["RolePatch"];
                "application/json": components["schemas"]["RolePatch"];
            };
        };
        responses: {
            /** @description The updated role. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantUserRoles: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of roles. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    assignTenantUserRoles: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserRolesAssign"];
            };
        };
        responses: {
            /** @description The roles are assigned. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    removeTenantUserRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The role was removed from the user. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantOrganizations: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of organizations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createTenantOrganization: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrganizationCreate"];
            };
        };
        responses: {
            /** @description The organization was created. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organization"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantOrganization: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organization. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organization"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTenantOrganization: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organization was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateTenantOrganization: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["OrganizationPatch"];
                "application/json": components["schemas"]["OrganizationPatch"];
            };
        };
        responses: {
            /** @description The updated organization. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organization"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantOrganizationInvitations: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of invitations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationInvitationList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createTenantOrganizationInvitation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrganizationInvitationCreate"];
            };
        };
        responses: {
            /** @description The invitation was mailed. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationInvitation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTenantOrganizationInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description Invitation ID. */
                invitation_id: components["parameters"]["InvitationIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The invitation is gone. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantOrganizationMembers: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of members. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationMemberList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    addTenantOrganizationMember: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrganizationMemberAdd"];
            };
        };
        responses: {
            /** @description The user is a member. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationMember"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    removeTenantOrganizationMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user is no longer a member. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantOrganizationMemberRoles: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of roles. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    assignTenantOrganizationMemberRoles: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserRolesAssign"];
            };
        };
        responses: {
            /** @description The roles are assigned. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    removeTenantOrganizationMemberRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Organization ID. */
                org_id: components["parameters"]["OrgIdParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Role ID. */
                role_id: components["parameters"]["RoleIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The role was removed from the member. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantApiKeys: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of API keys, ordered by creation time. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createTenantApiKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyCreate"];
            };
        };
        responses: {
            /** @description The key was created. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            201: {
                headers: {
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyWithToken"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeTenantApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description API key ID. */
                key_id: components["parameters"]["KeyIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key is revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantInitialAccessTokens: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of initial access tokens, ordered by ID. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InitialAccessTokenList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createTenantInitialAccessToken: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InitialAccessTokenCreate"];
            };
        };
        responses: {
            /** @description The token was created. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InitialAccessTokenWithToken"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTenantInitialAccessToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Initial access token ID. */
                token_id: components["parameters"]["TokenIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token is deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantUserSessions: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of sessions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeTenantUserSessions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sessions are revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeTenantUserSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Session ID. */
                session_id: components["parameters"]["SessionIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session is revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantUserConsents: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of consents. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeTenantUserConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The consent is revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeTenantUserTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["UserTokenRevocation"];
            };
        };
        responses: {
            /** @description What was revoked. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserTokensRevoked"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeTenantClientTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What was revoked. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientTokensRevoked"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantSigningKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signing keys. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SigningKeySet"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    rotateTenantSigningKeys: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SigningKeyRotation"];
            };
        };
        responses: {
            /** @description The signing keys after the rotation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SigningKeySet"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantSamlCertificates: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The certificates. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SamlSigningCertificateSet"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    rotateTenantSamlCertificates: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SamlCertificateRotation"];
            };
        };
        responses: {
            /** @description The certificates after the step. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SamlSigningCertificateSet"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantSamlServiceProviders: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of service providers, ordered by creation time. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SamlServiceProviderList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createTenantSamlServiceProvider: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SamlServiceProviderCreate"];
            };
        };
        responses: {
            /** @description The service provider was registered. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SamlServiceProvider"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantSamlServiceProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description SAML service provider ID. */
                sp_id: components["parameters"]["SamlSpIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The service provider. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SamlServiceProvider"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTenantSamlServiceProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description SAML service provider ID. */
                sp_id: components["parameters"]["SamlSpIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The service provider was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateTenantSamlServiceProvider: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description SAML service provider ID. */
                sp_id: components["parameters"]["SamlSpIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["SamlServiceProviderPatch"];
                "application/json": components["schemas"]["SamlServiceProviderPatch"];
            };
        };
        responses: {
            /** @description The updated service provider. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SamlServiceProvider"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantRiskPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The effective policy. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RiskPolicy"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    replaceTenantRiskPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RiskPolicy"];
            };
        };
        responses: {
            /** @description The effective policy now in force. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RiskPolicy"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantUserRiskSummary: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user's risk summary. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RiskSummary"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantAnalytics: {
        parameters: {
            query?: {
                /** @description Start of the period (RFC 3339); default `to` minus 7 days. Rounded down to its bucket. */
                from?: components["parameters"]["AnalyticsFromParam"];
                /** @description End of the period (RFC 3339, excluded); default now. */
                to?: components["parameters"]["AnalyticsToParam"];
                /** @description Bucket size; default `day`. */
                interval?: components["parameters"]["AnalyticsIntervalParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description The metric. */
                metric: components["parameters"]["AnalyticsMetricParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metric's series. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnalyticsReport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantMailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description The mail. */
                kind: components["parameters"]["MailKindParam"];
                /** @description The language. */
                lang: components["parameters"]["MailLangParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The override. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MailTemplate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    putTenantMailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description The mail. */
                kind: components["parameters"]["MailKindParam"];
                /** @description The language. */
                lang: components["parameters"]["MailLangParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MailTemplateInput"];
            };
        };
        responses: {
            /** @description The stored override. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MailTemplate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTenantMailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description The mail. */
                kind: components["parameters"]["MailKindParam"];
                /** @description The language. */
                lang: components["parameters"]["MailLangParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantConnections: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of connections, ordered by ID. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createTenantConnection: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectionCreate"];
            };
        };
        responses: {
            /** @description The connection was created. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection, without its secrets. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTenantConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateTenantConnection: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["ConnectionPatch"];
                "application/json": components["schemas"]["ConnectionPatch"];
            };
        };
        responses: {
            /** @description The updated connection. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    syncTenantConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What the sync did. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectionSyncResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["DirectoryUnavailable"];
        };
    };
    unlinkTenantUserIdentity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The identity is unlinked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantPrivacyPurposes: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of purposes. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyPurposeList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createTenantPrivacyPurpose: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a retried request safe: a repeat with the same key and body within 24 hours returns the original response instead of acting again; the same key with a different body, or while the first request is still being processed, is a 409 `idempotency-conflict`.
                 * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrivacyPurposeCreate"];
            };
        };
        responses: {
            /** @description The purpose was created. */
            201: {
                headers: {
                    ETag: components["headers"]["EntityTag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyPurpose"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantPrivacyPurpose: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The purpose. */
            200: {
                headers: {
                    ETag: components["headers"]["EntityTag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyPurpose"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    replaceTenantPrivacyPurpose: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrivacyPurposeUpdate"];
            };
        };
        responses: {
            /** @description The purpose as it is now. */
            200: {
                headers: {
                    ETag: components["headers"]["EntityTag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyPurpose"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTenantPrivacyPurpose: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The purpose was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantUserPrivacy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user's privacy state. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyState"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantUserPrivacyHistory: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of ledger entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyHistory"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    setTenantUserPrivacyPurpose: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrivacyDecisionAdmin"];
            };
        };
        responses: {
            /** @description The new ledger entry. */
            200: {
                headers: {
                    ETag: components["headers"]["EntityTag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyLedgerEntry"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["RequiredPurpose"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantUserPrivacyReceipt: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Consent receipt ID (the ledger entry's ID). */
                receipt_id: components["parameters"]["ReceiptIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The receipt. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyReceipt"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    startTenantUserExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted; the export is being built. Poll it with its ID. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataExportStarted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantUserExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description User ID. */
                user_id: components["parameters"]["UserIdParam"];
                /** @description Data export ID. */
                export_id: components["parameters"]["ExportIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export's status and, once `ready`, its document (then also with `Content-Disposition` so browsers save it). */
            200: {
                headers: {
                    /** @description `attachment; filename="gatehouse-export-{export_id}.json"` once the export is ready. */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataExport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description Not ready; `checks` says why. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metrics. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                    "application/openmetrics-text": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description The client's address is not allowed and it sent no metrics token. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "urn:gatehouse:problem:forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "Metrics are served only to allowed addresses (GATEHOUSE_METRICS_ALLOW) or with the metrics token.",
                     *       "instance": "/metrics",
                     *       "request_id": "01935f33-9a8b-7c6d-8e5f-4a3b2c1d0e9f"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
        };
    };
    getOpenAPIJSON: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document. */
            200: {
                headers: {
                    /** @description Entity tag of the document; send it as `If-None-Match` to revalidate. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Not modified: the `If-None-Match` entity tag matches. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getOpenAPIYAML: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document. */
            200: {
                headers: {
                    /** @description Entity tag of the document; send it as `If-None-Match` to revalidate. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/yaml": Record<string, never>;
                };
            };
            /** @description Not modified: the `If-None-Match` entity tag matches. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    /** @description Entity tag of the document; send it as `If-None-Match` to revalidate. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Not modified: the `If-None-Match` entity tag matches. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getDocsScript: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The script. */
            200: {
                headers: {
                    /** @description Entity tag of the document; send it as `If-None-Match` to revalidate. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                };
            };
            /** @description Not modified: the `If-None-Match` entity tag matches. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getChangelog: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The changelog. */
            200: {
                headers: {
                    /** @description Entity tag of the document; send it as `If-None-Match` to revalidate. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/markdown": string;
                };
            };
            /** @description Not modified: the `If-None-Match` entity tag matches. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    authenticateLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginAuthenticateRequest"];
            };
        };
        responses: {
            /** @description Signed in; `status` says whether the request is complete or needs consent or a second factor. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            200: {
                headers: {
                    /** @description The browser session cookie. */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["InvalidCredentials"];
            403: components["responses"]["LoginForbidden"];
            404: components["responses"]["LoginRequestNotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            /** @description The identifier's email domain belongs to an `ldap` connection (home-realm discovery) whose directory cannot be reached. Other users are unaffected. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "urn:gatehouse:problem:directory-unavailable",
                     *       "title": "Directory unavailable",
                     *       "status": 503,
                     *       "detail": "Sign-in with this directory is unavailable. Try again later."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    consentLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginConsentRequest"];
            };
        };
        responses: {
            /** @description The request is answered; send the browser to `redirect_to`. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["LoginRequired"];
            403: components["responses"]["LoginForbidden"];
            404: components["responses"]["LoginRequestNotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
        };
    };
    chooseLoginOrganization: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginOrganizationRequest"];
            };
        };
        responses: {
            /** @description What comes next. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it may carry a secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["LoginRequired"];
            403: components["responses"]["LoginForbidden"];
            404: components["responses"]["LoginRequestNotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
        };
    };
    loginMFAChallenge: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginMFAChallengeRequest"];
            };
        };
        responses: {
            /** @description The challenge is started. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginMFAChallenge"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["LoginRequired"];
            403: components["responses"]["LoginForbidden"];
            404: components["responses"]["LoginRequestNotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    loginMFAVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginMFAVerifyRequest"];
            };
        };
        responses: {
            /** @description The factor is verified; `status` says what comes next. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            200: {
                headers: {
                    /** @description The remember-device cookie, when asked for and allowed. */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["MFAInvalid"];
            403: components["responses"]["LoginForbidden"];
            404: components["responses"]["LoginRequestNotFound"];
            410: components["responses"]["MFAChallengeExpired"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    registerUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegistrationRequest"];
            };
        };
        responses: {
            /** @description Registered with an invitation, verified, a member, and signed in; `status` says what comes next, as for `verifyEmail`. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`). */
            200: {
                headers: {
                    /** @description The browser session cookie. */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerificationResult"];
                };
            };
            /** @description Accepted; if the address can be registered, a verification mail is on its way. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegistrationResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["LoginForbidden"];
            404: components["responses"]["LoginRequestNotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    verifyEmail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VerificationRequest"];
            };
        };
        responses: {
            /** @description Verified; `status` says what comes next. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            200: {
                headers: {
                    /** @description The browser session cookie. */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerificationResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["LoginForbidden"];
            404: components["responses"]["LoginRequestNotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    startPasswordRecovery: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordRecoveryRequest"];
            };
        };
        responses: {
            /** @description Accepted; if the address can be recovered, a reset mail is on its way. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["LoginForbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    resetPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordResetRequest"];
            };
        };
        responses: {
            /** @description The password is changed; the user is signed out everywhere. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["LoginForbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed-in user. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AccountDeletion"];
            };
        };
        responses: {
            /** @description The account is deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateMe: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["MePatch"];
                "application/json": components["schemas"]["MePatch"];
            };
        };
        responses: {
            /** @description The updated user. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    changeMyPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChange"];
            };
        };
        responses: {
            /** @description The password is changed and the user is signed out everywhere. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    startMyEmailChange: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailChange"];
            };
        };
        responses: {
            /** @description A code is on its way to the new address. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    verifyMyEmailChange: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailChangeVerification"];
            };
        };
        responses: {
            /** @description The user, with the new address. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listMySessions: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of sessions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountSessionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeMySession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Session ID. */
                session_id: components["parameters"]["SessionIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session is revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listMyOrganizations: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of organizations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountOrganizationList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listMyConsents: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of consents. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeMyConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The consent is revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listMyIdentities: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of identities. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FederatedIdentityList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    linkMyIdentity: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IdentityLinkRequest"];
            };
        };
        responses: {
            /** @description Where to send the browser to link the identity. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IdentityLinkStart"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    unlinkMyIdentity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The identity is unlinked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["LastSignInMethod"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listMyMFAFactors: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of factors. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MFAFactorList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteMyMFAFactor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description MFA factor ID. */
                factor_id: components["parameters"]["FactorIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The factor is removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    renameMyMFAFactor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description MFA factor ID. */
                factor_id: components["parameters"]["FactorIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MFAFactorName"];
            };
        };
        responses: {
            /** @description The renamed factor. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MFAFactor"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    startMyTOTPEnrolment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The enrolment, shown once. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TOTPEnrolment"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    confirmMyTOTPEnrolment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description ID of a started enrolment (from `startMyTOTPEnrolment` or `startMyWebAuthnRegistration`). */
                enrolment_id: components["parameters"]["EnrolmentIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TOTPConfirmation"];
            };
        };
        responses: {
            /** @description The new factor. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MFAFactor"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    startMyWebAuthnRegistration: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebAuthnRegistrationStart"];
            };
        };
        responses: {
            /** @description The registration options. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebAuthnRegistration"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    finishMyWebAuthnRegistration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description ID of a started enrolment (from `startMyTOTPEnrolment` or `startMyWebAuthnRegistration`). */
                enrolment_id: components["parameters"]["EnrolmentIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebAuthnRegistrationFinish"];
            };
        };
        responses: {
            /** @description The new factor. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MFAFactor"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    regenerateMyRecoveryCodes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The codes, shown once. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoveryCodes"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    forgetMyRememberedDevices: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Forgotten. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getMyPrivacy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed-in user's privacy state. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyState"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    setMyPrivacyPurpose: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrivacyDecision"];
            };
        };
        responses: {
            /** @description The new ledger entry. */
            200: {
                headers: {
                    ETag: components["headers"]["EntityTag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyLedgerEntry"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["RequiredPurpose"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listMyPrivacyHistory: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of ledger entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyHistory"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getMyPrivacyReceipt: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Consent receipt ID (the ledger entry's ID). */
                receipt_id: components["parameters"]["ReceiptIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The receipt. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyReceipt"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    startMyExport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted; the export is being built. Poll it with its ID. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataExportStarted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getMyExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Data export ID. */
                export_id: components["parameters"]["ExportIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export's status and, once `ready`, its document (then also with `Content-Disposition` so browsers save it). */
            200: {
                headers: {
                    /** @description `attachment; filename="gatehouse-export-{export_id}.json"` once the export is ready. */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataExport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantMe: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed-in user. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTenantMe: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AccountDeletion"];
            };
        };
        responses: {
            /** @description The account is deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateTenantMe: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Apply the change only if the resource's current `ETag` matches (optimistic concurrency); otherwise 412. `*` matches any version.
                 * @example "3"
                 */
                "If-Match"?: components["parameters"]["IfMatchHeader"];
            };
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["MePatch"];
                "application/json": components["schemas"]["MePatch"];
            };
        };
        responses: {
            /** @description The updated user. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    changeTenantMyPassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChange"];
            };
        };
        responses: {
            /** @description The password is changed and the user is signed out everywhere. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    startTenantMyEmailChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailChange"];
            };
        };
        responses: {
            /** @description A code is on its way to the new address. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    verifyTenantMyEmailChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailChangeVerification"];
            };
        };
        responses: {
            /** @description The user, with the new address. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantMySessions: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of sessions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountSessionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeTenantMySession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Session ID. */
                session_id: components["parameters"]["SessionIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session is revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantMyOrganizations: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of organizations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountOrganizationList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantMyConsents: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of consents. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeTenantMyConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Client ID. */
                client_id: components["parameters"]["ClientIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The consent is revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantMyIdentities: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of identities. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FederatedIdentityList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    linkTenantMyIdentity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IdentityLinkRequest"];
            };
        };
        responses: {
            /** @description Where to send the browser to link the identity. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IdentityLinkStart"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    unlinkTenantMyIdentity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Connection ID (its slug). */
                connection_id: components["parameters"]["ConnectionIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The identity is unlinked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["LastSignInMethod"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantMyMFAFactors: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of factors. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MFAFactorList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTenantMyMFAFactor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description MFA factor ID. */
                factor_id: components["parameters"]["FactorIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The factor is removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    renameTenantMyMFAFactor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description MFA factor ID. */
                factor_id: components["parameters"]["FactorIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MFAFactorName"];
            };
        };
        responses: {
            /** @description The renamed factor. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MFAFactor"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    startTenantMyTOTPEnrolment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The enrolment, shown once. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TOTPEnrolment"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    confirmTenantMyTOTPEnrolment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description ID of a started enrolment (from `startMyTOTPEnrolment` or `startMyWebAuthnRegistration`). */
                enrolment_id: components["parameters"]["EnrolmentIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TOTPConfirmation"];
            };
        };
        responses: {
            /** @description The new factor. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MFAFactor"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    startTenantMyWebAuthnRegistration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebAuthnRegistrationStart"];
            };
        };
        responses: {
            /** @description The registration options. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebAuthnRegistration"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    finishTenantMyWebAuthnRegistration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description ID of a started enrolment (from `startMyTOTPEnrolment` or `startMyWebAuthnRegistration`). */
                enrolment_id: components["parameters"]["EnrolmentIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebAuthnRegistrationFinish"];
            };
        };
        responses: {
            /** @description The new factor. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MFAFactor"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    regenerateTenantMyRecoveryCodes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The codes, shown once. Never cached (`Cache-Control` `no-store`, `Pragma` `no-cache`), as it carries a secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoveryCodes"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    forgetTenantMyRememberedDevices: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Forgotten. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountReauthenticationRequired"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantMyPrivacy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed-in user's privacy state. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyState"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    setTenantMyPrivacyPurpose: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Privacy purpose ID (a slug). */
                purpose_id: components["parameters"]["PurposeIdParam"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrivacyDecision"];
            };
        };
        responses: {
            /** @description The new ledger entry. */
            200: {
                headers: {
                    ETag: components["headers"]["EntityTag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyLedgerEntry"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["RequiredPurpose"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTenantMyPrivacyHistory: {
        parameters: {
            query?: {
                /** @description Maximum number of items to return. */
                limit?: components["parameters"]["LimitParam"];
                /** @description Opaque cursor from a previous page's `next_cursor`; omit for the first page. */
                cursor?: components["parameters"]["CursorParam"];
            };
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of ledger entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyHistory"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantMyPrivacyReceipt: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Consent receipt ID (the ledger entry's ID). */
                receipt_id: components["parameters"]["ReceiptIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The receipt. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivacyReceipt"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    startTenantMyExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted; the export is being built. Poll it with its ID. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataExportStarted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenantMyExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Tenant slug. */
                tenant: components["parameters"]["TenantParam"];
                /** @description Data export ID. */
                export_id: components["parameters"]["ExportIdParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export's status and, once `ready`, its document (then also with `Content-Disposition` so browsers save it). */
            200: {
                headers: {
                    /** @description `attachment; filename="gatehouse-export-{export_id}.json"` once the export is ready. */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataExport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["AccountUnauthorized"];
            403: components["responses"]["AccountForbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
}
