// A real OpenID Connect provider for the API tests (oauth2-mock-server): discovery, JWKS and
// tokens signed with RS256, on loopback. It prints one JSON line {"issuer", "admin"} and serves
// a small admin endpoint the tests use to mint tokens with chosen claims and to rotate the key:
//   GET  {admin}/token?sub=alice&roles=a,b&aud=jobs&expiresIn=3600   -> the JWT (text)
//        (rolesClaim=cognito:groups puts the roles there; claim.NAME=VALUE adds a claim)
//   POST {admin}/rotate                                             -> the new key id
// Its authorization endpoint signs the browser in at once (no login form): a code grant (PKCE
// checked by the server) gets an access token for sub=browser-user, audience jobs.
// It exits when its standard input closes (the test process ended).
import http from 'node:http';
import { OAuth2Server } from 'oauth2-mock-server';

const server = new OAuth2Server();
let kid = (await server.issuer.keys.generate('RS256', { kid: 'key-1' })).kid;
await server.start(0, '127.0.0.1');
// The issuer as the API sees it: the loopback address it listens on (not "localhost").
server.issuer.url = `http://127.0.0.1:${server.address().port}`;

server.service.on('beforeTokenSigning', (token, req) => {
  if (req?.body?.grant_type === 'authorization_code') {
    token.payload.sub = 'browser-user';
    token.payload.aud = 'jobs';
  }
});

const admin = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname === '/rotate') {
      kid = (await server.issuer.keys.generate('RS256', { kid: `key-${Date.now()}` })).kid;
      res.end(kid);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/token') {
      const q = url.searchParams;
      const token = await server.issuer.buildToken({
        kid,
        expiresIn: Number(q.get('expiresIn') ?? 3600),
        scopesOrTransform: (_header, payload) => {
          payload.sub = q.get('sub');
          payload.aud = q.get('aud') ?? 'jobs';
          const roles = (q.get('roles') ?? '').split(',').filter((r) => r.length > 0);
          payload[q.get('rolesClaim') ?? 'roles'] = roles;
          for (const [name, value] of q) {
            if (name.startsWith('claim.')) payload[name.slice(6)] = value;
          }
          if (q.has('expiresIn') && Number(q.get('expiresIn')) < 0) {
            payload.nbf = payload.exp - 60;
            payload.iat = payload.nbf;
          }
        },
      });
      res.end(token);
      return;
    }
    res.statusCode = 404;
    res.end();
  } catch (e) {
    res.statusCode = 500;
    res.end(String(e));
  }
});
admin.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ issuer: server.issuer.url, admin: `http://127.0.0.1:${admin.address().port}` }) + '\n');
});

process.stdin.on('end', async () => {
  admin.close();
  await server.stop();
  process.exit(0);
});
process.stdin.resume();
