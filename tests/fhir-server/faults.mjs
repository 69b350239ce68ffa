// Fault injection and request statistics for exactly-once tests, and the /__control JSON API that
// sets them. Decides what a fault does to a request; server.mjs applies it to the socket and never
// lets a fault touch the repository except by running (committing) the request normally.

import { timingSafeEqual } from 'node:crypto';

// commit: whether the request is performed on the repository before the fault acts.
const kActions = {
  status: { commit: false }, // answer `status` (default 503) with an OperationOutcome
  garbage: { commit: true }, // 200 with a body that is not JSON
  truncate: { commit: true }, // the real JSON response cut in half (Content-Length matches the half)
  'drop-after-commit': { commit: true }, // perform, then destroy the socket without a response
  drop: { commit: false }, // destroy the socket without performing the request
  delay: { commit: true }, // wait `ms`, then perform and answer normally
  large: { commit: false }, // 200 with an empty searchset Bundle padded to `bytes` (JSON whitespace)
};

function normalizePath(path) {
  const trimmed = String(path).split('?')[0].replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function validationError(message) {
  const err = new Error(message);
  err.status = 400;
  return err;
}

/** One fault as the control API accepts it, checked and with defaults filled in. */
function parseFault(raw, index, defaultCount) {
  const where = `faults[${index}]`;
  if (!raw || typeof raw !== 'object') throw validationError(`${where} must be an object`);
  const spec = kActions[raw.action];
  if (!spec) throw validationError(`${where}.action must be one of ${Object.keys(kActions).join(', ')}`);
  const fault = {
    action: raw.action,
    match: { method: raw.match?.method?.toUpperCase(), path: raw.match?.path && normalizePath(raw.match.path) },
    commit: raw.action === 'drop-after-commit' ? true : (raw.commit ?? spec.commit) === true,
    remaining: raw.count ?? defaultCount ?? 1,
  };
  if (!Number.isInteger(fault.remaining) || fault.remaining < 1) throw validationError(`${where}.count must be >= 1`);
  if (raw.action === 'status') {
    fault.status = raw.status ?? 503;
    if (!Number.isInteger(fault.status) || fault.status < 200 || fault.status > 599) {
      throw validationError(`${where}.status must be an HTTP status 200-599`);
    }
    if (raw.retryAfter !== undefined) {
      if (!Number.isInteger(raw.retryAfter) || raw.retryAfter < 0) throw validationError(`${where}.retryAfter must be seconds >= 0`);
      fault.retryAfter = raw.retryAfter;
    }
  }
  if (raw.action === 'large') {
    if (!Number.isInteger(raw.bytes) || raw.bytes < 1 || raw.bytes > 256 * 1024 * 1024) {
      throw validationError(`${where}.bytes must be 1-268435456`);
    }
    fault.bytes = raw.bytes;
    fault.chunked = raw.chunked === true;
  }
  if (raw.action === 'delay') {
    if (!Number.isInteger(raw.ms) || raw.ms < 0 || raw.ms > 600000) throw validationError(`${where}.ms must be 0-600000`);
    fault.ms = raw.ms;
  }
  return fault;
}

/** A queue of faults; each FHIR request consumes the first one whose match it satisfies. */
export class FaultQueue {
  #pending = [];

  set(body) {
    if (!body || !Array.isArray(body.faults)) throw validationError('body must be {"faults":[...], "count"?: N, "append"?: bool}');
    if (body.count !== undefined && (!Number.isInteger(body.count) || body.count < 1)) {
      throw validationError('count must be an integer >= 1');
    }
    const parsed = body.faults.map((raw, i) => parseFault(raw, i, body.count));
    this.#pending = body.append ? [...this.#pending, ...parsed] : parsed;
    return this.list();
  }

  /** Removes one use of the first fault matching method + path (relative to the FHIR base). */
  take(method, path) {
    const reqPath = normalizePath(path);
    const index = this.#pending.findIndex((f) => {
      if (f.match.method && f.match.method !== '*' && f.match.method !== method) return false;
      if (f.match.path && f.match.path !== '/*') {
        return reqPath === f.match.path || reqPath.startsWith(`${f.match.path}/`);
      }
      return true;
    });
    if (index < 0) return undefined;
    const fault = this.#pending[index];
    fault.remaining -= 1;
    if (fault.remaining === 0) this.#pending.splice(index, 1);
    return { ...fault };
  }

  clear() {
    this.#pending = [];
  }

  list() {
    return this.#pending.map((f) => ({ ...f }));
  }
}

/** Counts FHIR requests per "METHOD Type", per status, the faults applied and SMART tokens issued. */
export class Stats {
  constructor() {
    this.reset();
  }

  reset() {
    this.requests = {};
    this.statuses = {};
    this.faults = {};
    this.total = 0;
    this.tokensIssued = 0;
  }

  countToken() {
    this.tokensIssued += 1;
  }

  countRequest(method, type) {
    const key = `${method} ${type}`;
    this.requests[key] = (this.requests[key] ?? 0) + 1;
    this.total += 1;
  }

  countStatus(status) {
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
  }

  countFault(action) {
    this.faults[action] = (this.faults[action] ?? 0) + 1;
  }

  snapshot(pending) {
    return { total: this.total, requests: this.requests, statuses: this.statuses, faultsApplied: this.faults, faultsPending: pending, tokensIssued: this.tokensIssued };
  }
}

/** True when header is `Bearer <token>` (constant-time compare). */
export function bearerMatches(header, token) {
  const match = /^Bearer\s+(.+)$/i.exec(String(header ?? ''));
  if (!match) return false;
  const given = Buffer.from(match[1].trim());
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * Builds the /__control handler. Returns {status, body} for the server to send as JSON.
 * health is open (a liveness probe); everything else needs `Authorization: Bearer <token>`,
 * and is refused when the server was started without --control-token.
 */
export function makeControl({ faults, stats, host, controlToken, startedAt }) {
  return async function control(method, path, headers, bodyText) {
    if (path === '/health' && method === 'GET') {
      return { status: 200, body: { status: 'ok', base: host.base, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) } };
    }
    if (!controlToken) return { status: 403, body: { error: 'control API disabled: start the server with --control-token' } };
    if (!bearerMatches(headers.authorization, controlToken)) return { status: 401, body: { error: 'control token required' } };

    let body = {};
    if (bodyText) {
      try {
        body = JSON.parse(bodyText);
      } catch {
        return { status: 400, body: { error: 'body is not valid JSON' } };
      }
    }
    try {
      if (path === '/faults' && method === 'POST') return { status: 200, body: { pending: faults.set(body) } };
      if (path === '/faults' && method === 'GET') return { status: 200, body: { pending: faults.list() } };
      if (path === '/careless' && method === 'POST') return { status: 200, body: { careless: host.setCareless(body) } };
      if (path === '/careless' && method === 'GET') return { status: 200, body: { careless: host.careless } };
      if (path === '/stats' && method === 'GET') return { status: 200, body: stats.snapshot(faults.list().length) };
      if (path === '/reset' && method === 'POST') {
        faults.clear();
        host.setCareless({});
        if (body.stats !== false) stats.reset();
        const reseeded = body.data ? await host.resetData() : undefined;
        return { status: 200, body: { ok: true, ...(reseeded !== undefined ? { reseeded } : {}) } };
      }
    } catch (err) {
      return { status: err.status ?? 500, body: { error: err.message } };
    }
    return { status: 404, body: { error: `no control endpoint ${method} /__control${path}` } };
  };
}
