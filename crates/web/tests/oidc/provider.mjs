// A real OpenID provider for the web tests: oidc-provider (npm) on loopback, with one
// confidential client, its own RSA signing key, and the development login forms (any account
// id signs in; the test drives them). Started by crates/web/tests/oidc.rs:
//
//   node provider.mjs NODE_DIR PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI AUTH_METHOD
//
// NODE_DIR is where `npm install --prefix NODE_DIR oidc-provider@9` put the package.
// Prints "ready ISSUER" once it listens; exits when its standard input closes.

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [nodeDir, port, clientId, clientSecret, redirectUri, authMethod] = process.argv.slice(2);
const entry = join(nodeDir, 'node_modules', 'oidc-provider', 'lib', 'index.js');
const { default: Provider } = await import(pathToFileURL(entry).href);

const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const key = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: authMethod,
  }],
  jwks: { keys: [key] },
  cookies: { keys: [randomUUID()] },
  findAccount: async (ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  pkce: { required: () => true },
});

const server = provider.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
