// Who the page calls the API as. Nothing in local mode; otherwise an API key typed in, or a token
// from the OpenID Connect provider (authorization code + PKCE, done here in the browser: the page
// is a public client with no secret). The credential lives in sessionStorage: this tab only, gone
// when it closes.
const CREDENTIAL = 'jobs.credential';
const PENDING = 'jobs.oidc-pending';

export function credential() {
  const stored = sessionStorage.getItem(CREDENTIAL);
  return stored ? JSON.parse(stored) : null;
}

/** The Authorization header value, or null (local mode or not signed in). */
export function authorization() {
  const c = credential();
  if (!c) return null;
  return c.kind === 'api-key' ? `ApiKey ${c.value}` : `Bearer ${c.value}`;
}

export function signInWithApiKey(key) {
  sessionStorage.setItem(CREDENTIAL, JSON.stringify({ kind: 'api-key', value: key.trim() }));
}

export function signOut() {
  sessionStorage.removeItem(CREDENTIAL);
}

/** Who the credential names, for the header: the token's subject, or "an API key". */
export function describe(c) {
  if (!c) return '';
  if (c.kind === 'api-key') return 'Signed in with an API key';
  return `Signed in as ${c.user ?? 'a user of the identity provider'}`;
}

function base64Url(bytes) {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function randomText() {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

async function discover(authority) {
  const response = await fetch(`${authority}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`The identity provider's discovery document answered ${response.status}.`);
  return response.json();
}

/** The page itself, without its query: where the provider sends the browser back. */
function redirectUri() {
  return location.origin + location.pathname;
}

/** Leaves for the provider's sign-in; it comes back to this page with ?code=…&state=…. */
export async function startOidc(oidc) {
  const metadata = await discover(oidc.authority);
  const verifier = randomText();
  const state = randomText();
  const challenge = base64Url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(metadata.authorization_endpoint);
  for (const [name, value] of Object.entries({
    response_type: 'code', client_id: oidc.clientId, redirect_uri: redirectUri(), scope: oidc.scope,
    state, code_challenge: challenge, code_challenge_method: 'S256',
  })) url.searchParams.set(name, value);
  location.assign(url.toString());
}

function subjectOf(jwt) {
  try {
    const payload = jwt.split('.')[1].replaceAll('-', '+').replaceAll('_', '/');
    return JSON.parse(atob(payload)).sub ?? null;
  } catch {
    return null;
  }
}

/**
 * On the way back from the provider: trades the code for tokens (with the PKCE verifier) and keeps
 * the configured one. Returns false when the address carries no answer from the provider.
 */
export async function finishOidc(oidc) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return false;
  history.replaceState(null, '', location.pathname);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  if (params.has('error')) throw new Error(`The identity provider refused the sign-in: ${params.get('error_description') ?? params.get('error')}`);
  if (!pending || pending.state !== params.get('state')) throw new Error('The sign-in answer does not match the sign-in this tab started; try again.');

  const metadata = await discover(oidc.authority);
  const response = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(),
      client_id: oidc.clientId, code_verifier: pending.verifier,
    }),
  });
  const tokens = await response.json().catch(() => ({}));
  const token = tokens[oidc.token];
  if (!response.ok || !token) throw new Error(`The identity provider gave no ${oidc.token} (${response.status} ${tokens.error ?? ''}).`);
  sessionStorage.setItem(CREDENTIAL, JSON.stringify({ kind: 'bearer', value: token, user: subjectOf(token) }));
  return true;
}
