// An independent OpenID provider for internal/login's federation tests:
// panva's oidc-provider with its development interactions (any login and
// password sign in; a consent page follows). It listens on a free
// loopback port and prints {"issuer": ...} on its first line of stdout;
// it stops when stdin closes (the test ended).
//
//   node op.mjs '{"client_id":"…","client_secret":"…","redirect_uri":"…","email":"…"}'
import http from 'node:http';
import Provider from 'oidc-provider';

const cfg = JSON.parse(process.argv[2]);
const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: cfg.client_id,
      client_secret: cfg.client_secret,
      redirect_uris: [cfg.redirect_uri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    // Every login is a verified person at cfg.email; the subject is the
    // login typed in the form.
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: cfg.email, email_verified: true, name: 'Node User' };
        },
      };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['gatehouse-test-cookie-key'] },
    features: { devInteractions: { enabled: true } },
  });
  provider.on('server_error', (ctx, err) => console.error('server_error', err));
  server.on('request', provider.callback());
  process.stdout.write(JSON.stringify({ issuer }) + '\n');
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
