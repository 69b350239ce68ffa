// A SMART Backend Services authorization server for tests (client_credentials with a
// private_key_jwt assertion, RFC 7523): clients and their public keys (a JWKS) from a JSON file,
// assertions verified with `jose` (signature, iss = sub = client_id, aud = this token URL, exp at
// most 5 minutes ahead, jti never seen before), scopes checked against the client's, and short
// opaque access tokens the FHIR front then requires.

import { randomBytes } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, decodeJwt, exportJWK, jwtVerify } from 'jose';

export const kTokenPath = '/auth/token';
const kAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const kAlgorithms = ['RS384', 'ES384'];
const kMaxAssertionSeconds = 300;

/**
 * The clients file: {"clients": [{"client_id": "...", "scope": "system/Patient.rs ...",
 * "keys": [{"pem": "/path/public.pem", "kid": "optional"}] or "jwks": {"keys": [...]}}]}.
 */
async function loadClients(file) {
  const { clients } = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map();
  for (const client of clients) {
    let jwks = client.jwks;
    if (!jwks) {
      jwks = { keys: [] };
      for (const key of client.keys ?? []) {
        const jwk = await exportJWK(createPublicKey(readFileSync(key.pem, 'utf8')));
        jwk.alg = jwk.kty === 'RSA' ? 'RS384' : 'ES384';
        if (key.kid) jwk.kid = key.kid;
        jwks.keys.push(jwk);
      }
    }
    byId.set(client.client_id, { scopes: new Set(String(client.scope ?? '').split(/\s+/).filter(Boolean)), keys: createLocalJWKSet(jwks) });
  }
  return byId;
}

function oauthError(status, error, description) {
  return { status, body: { error, error_description: description } };
}

export class SmartAuth {
  #clients;
  #tokenSeconds;
  #tokens = new Map(); // access token -> expiry (ms)
  #seenJti = new Map(); // jti -> expiry (ms), for replay
  issued = 0;
  refusedTokens = 0;

  static async load(clientsFile, tokenSeconds) {
    const auth = new SmartAuth();
    auth.#clients = await loadClients(clientsFile);
    auth.#tokenSeconds = tokenSeconds;
    return auth;
  }

  /** The SMART configuration a client discovers under {base}/.well-known/smart-configuration. */
  configuration(origin) {
    return {
      token_endpoint: `${origin}${kTokenPath}`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: kAlgorithms,
      scopes_supported: ['system/*.cruds'],
      capabilities: ['client-confidential-asymmetric', 'permission-v2'],
    };
  }

  /** True when `header` is `Bearer <a token issued here that has not expired>`. */
  accepts(header) {
    const match = /^Bearer\s+(\S+)$/i.exec(String(header ?? ''));
    const expiry = match ? this.#tokens.get(match[1]) : undefined;
    if (expiry !== undefined && expiry > Date.now()) return true;
    this.refusedTokens += 1;
    return false;
  }

  /** POST {origin}/auth/token with a form body: {status, body} to send as JSON. */
  async token(origin, bodyText) {
    const form = new URLSearchParams(bodyText);
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'only client_credentials is supported');
    }
    const assertion = form.get('client_assertion');
    if (form.get('client_assertion_type') !== kAssertionType || !assertion) {
      return oauthError(400, 'invalid_request', `client_assertion_type must be ${kAssertionType}, with a client_assertion`);
    }
    let claims;
    try {
      claims = decodeJwt(assertion);
    } catch {
      return oauthError(400, 'invalid_request', 'client_assertion is not a JWT');
    }
    const client = this.#clients.get(claims.iss);
    if (!client) return oauthError(401, 'invalid_client', `unknown client id "${claims.iss}"`);
    const problem = await this.#verify(assertion, claims.iss, `${origin}${kTokenPath}`);
    if (problem) return problem;
    const asked = String(form.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const extra = asked.filter((s) => !client.scopes.has(s));
    if (asked.length === 0 || extra.length > 0) {
      return oauthError(400, 'invalid_scope', asked.length === 0 ? 'no scope asked for' : `not granted to this client: ${extra.join(' ')}`);
    }
    const token = randomBytes(24).toString('base64url');
    this.#tokens.set(token, Date.now() + this.#tokenSeconds * 1000);
    this.issued += 1;
    return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: this.#tokenSeconds, scope: asked.join(' ') } };
  }

  /** Undefined when the assertion is good; else the OAuth error to send. */
  async #verify(assertion, clientId, audience) {
    let payload;
    try {
      ({ payload } = await jwtVerify(assertion, this.#clients.get(clientId).keys, {
        issuer: clientId,
        subject: clientId,
        audience,
        algorithms: kAlgorithms,
        requiredClaims: ['exp', 'jti'],
      }));
    } catch (err) {
      if (err.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && err.claim === 'aud') {
        return oauthError(401, 'invalid_client', `the assertion's aud must be ${audience}`);
      }
      if (err.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' || err.code === 'ERR_JWT_EXPIRED') {
        return oauthError(401, 'invalid_client', `assertion claim check failed: ${err.message}`);
      }
      return oauthError(401, 'invalid_client', `assertion signature does not verify against the client's registered keys (${err.code ?? err.message})`);
    }
    const now = Date.now();
    if (payload.exp * 1000 > now + kMaxAssertionSeconds * 1000 + 5000) {
      return oauthError(401, 'invalid_client', 'assertion exp is more than 5 minutes ahead');
    }
    for (const [jti, expiry] of this.#seenJti) if (expiry < now) this.#seenJti.delete(jti);
    if (this.#seenJti.has(payload.jti)) return oauthError(401, 'invalid_client', 'assertion jti was used before (replay)');
    this.#seenJti.set(payload.jti, payload.exp * 1000 + 60000);
    return undefined;
  }
}
