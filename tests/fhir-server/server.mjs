#!/usr/bin/env node
// Loopback HTTPS front of the test FHIR server: command line, TLS (optionally mutual), bearer auth
// (a fixed token, or SMART Backend Services tokens from smart-auth.mjs),
// the /__control API and fault application around FhirHost. Listens on 127.0.0.1 only and prints
// exactly one stdout line, "listening https://127.0.0.1:PORT/BASE", once it accepts requests.

import { readFileSync } from 'node:fs';
import https from 'node:https';
import { parseArgs } from 'node:util';
import { rebaseDemoBundle } from './demo-rebase.mjs';
import { bearerMatches, FaultQueue, makeControl, Stats } from './faults.mjs';
import { FhirHost, outcomeOf } from './fhir-host.mjs';
import { kTokenPath, SmartAuth } from './smart-auth.mjs';

const kUsage = `usage: node server.mjs --cert server.crt --key server.key [--port N] [--seed bundle.json]
       [--rebase-demo] [--base /fhir/R4] [--control-token T] [--require-token FILE [--open-metadata]] [--client-ca FILE] [--log]
       [--smart CLIENTS.json [--token-seconds N]]   (SMART Backend Services: FHIR requests need a token from /auth/token)
       [--date-skew SECONDS]   (test of clock checks: the Date header is off by SECONDS)
       [--undeclare Type:param ...]   (the CapabilityStatement leaves that search parameter out)`;
const kMaxBody = 16 * 1024 * 1024;
const kFhirJson = 'application/fhir+json; charset=utf-8';
const kGarbage = '<html><body>502 Bad Gateway</body></html>\n\u0000not json{{{';

function fail(message) {
  process.stderr.write(`fhir-server: ${message}\n${kUsage}\n`);
  process.exit(2);
}

function readOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        cert: { type: 'string' },
        key: { type: 'string' },
        seed: { type: 'string' },
        'rebase-demo': { type: 'boolean', default: false },
        base: { type: 'string', default: '/fhir/R4' },
        'control-token': { type: 'string' },
        'require-token': { type: 'string' },
        'client-ca': { type: 'string' },
        'open-metadata': { type: 'boolean', default: false },
        smart: { type: 'string' },
        'token-seconds': { type: 'string', default: '300' },
        'date-skew': { type: 'string', default: '0' },
        undeclare: { type: 'string', multiple: true, default: [] },
        log: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    fail(err.message);
  }
  if (values.help) {
    process.stdout.write(`${kUsage}\n`);
    process.exit(0);
  }
  if (!values.cert || !values.key) fail('--cert and --key are required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad --port ${values.port}`);
  const skew = Number(values['date-skew']);
  if (!Number.isFinite(skew)) fail(`bad --date-skew ${values['date-skew']}`);
  gDateSkewMs = skew * 1000;
  const tokenSeconds = Number(values['token-seconds']);
  if (!Number.isInteger(tokenSeconds) || tokenSeconds < 1) fail(`bad --token-seconds ${values['token-seconds']}`);
  if (values['require-token'] && values.smart) fail('--require-token and --smart exclude each other');
  const base = `/${values.base.replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
  return { ...values, port, base, tokenSeconds };
}

function readText(file, what) {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    return fail(`cannot read ${what} ${file}: ${err.message}`);
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > kMaxBody) {
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        req.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// --date-skew: every answer's Date header is this far from the real time (0: node's own Date).
let gDateSkewMs = 0;

function send(res, status, headers, text) {
  if (res.destroyed || res.writableEnded) return; // the client went away (e.g. during a delay)
  if (gDateSkewMs !== 0) headers = { ...headers, Date: new Date(Date.now() + gDateSkewMs).toUTCString() };
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * A 200 searchset Bundle with no entries, padded with JSON whitespace to `bytes`, written in 64 KiB
 * pieces as the client reads them: with a Content-Length, or chunked (no length announced, as a
 * streaming or compressing server sends it).
 */
function sendLarge(res, bytes, chunked) {
  const head = Buffer.from('{"resourceType":"Bundle","type":"searchset","total":0');
  const total = Math.max(bytes, head.length + 1);
  const headers = { 'Content-Type': kFhirJson };
  if (!chunked) headers['Content-Length'] = total;
  res.writeHead(200, headers);
  const piece = Buffer.alloc(64 * 1024, 0x20);
  let left = total - head.length - 1;
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const n = Math.min(left, piece.length);
      left -= n;
      if (!res.write(piece.subarray(0, n))) return res.once('drain', pump);
    }
    if (!res.destroyed) res.end('}');
  };
  res.on('close', () => { left = 0; });
  res.write(head);
  pump();
}

function sendFhir(res, status, headers, body) {
  send(res, status, { 'Content-Type': kFhirJson, ...headers }, body === undefined ? '' : JSON.stringify(body));
}

/** Absolute origin for links: the Host the client used when it is a loopback name, else 127.0.0.1. */
function originOf(req, port) {
  const host = String(req.headers.host ?? '');
  const loopback = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i.test(host);
  return loopback ? `https://${host}` : `https://127.0.0.1:${port}`;
}

function statsType(method, relPath) {
  const first = relPath.split('/').filter(Boolean)[0];
  if (!first) return method === 'POST' ? '(batch)' : '(system)';
  return first;
}

async function main() {
  const opts = readOptions();
  const tls = {
    cert: readText(opts.cert, 'certificate'),
    key: readText(opts.key, 'key'),
    minVersion: 'TLSv1.2',
  };
  if (opts['client-ca']) {
    Object.assign(tls, { ca: readText(opts['client-ca'], 'client CA'), requestCert: true, rejectUnauthorized: true });
  }
  const requiredToken = opts['require-token'] ? readText(opts['require-token'], 'token file').trim() : undefined;
  if (opts['require-token'] && !requiredToken) fail(`token file ${opts['require-token']} is empty`);

  let smart;
  try {
    smart = opts.smart ? await SmartAuth.load(opts.smart, opts.tokenSeconds) : undefined;
  } catch (err) {
    fail(`--smart ${opts.smart}: ${err.message}`);
  }

  const host = new FhirHost({ base: opts.base, undeclared: opts.undeclare });
  if (opts.seed) {
    let bundle;
    try {
      bundle = JSON.parse(readText(opts.seed, 'seed'));
    } catch (err) {
      fail(`seed ${opts.seed} is not JSON: ${err.message}`);
    }
    try {
      if (opts['rebase-demo']) bundle = rebaseDemoBundle(bundle);
      await host.seed(bundle);
    } catch (err) {
      fail(`seed ${opts.seed}: ${err.message}`);
    }
  }

  const faults = new FaultQueue();
  const stats = new Stats();
  let port = opts.port;
  const control = makeControl({ faults, stats, host, controlToken: opts['control-token'], startedAt: Date.now() });
  const log = (line) => opts.log && process.stderr.write(`${new Date().toISOString()} ${line}\n`);

  async function onRequest(req, res) {
    res.on('error', () => {}); // writes after a client disconnect are expected, not fatal
    const started = Date.now();
    const url = new URL(req.url, 'https://127.0.0.1');
    const method = req.method.toUpperCase();
    let bodyText;
    try {
      bodyText = await readBody(req);
    } catch (err) {
      sendFhir(res, err.status ?? 400, {}, outcomeOf(err.message));
      return;
    }

    if (url.pathname.startsWith('/__control/')) {
      const answer = await control(method, url.pathname.slice('/__control'.length), req.headers, bodyText);
      send(res, answer.status, { 'Content-Type': 'application/json' }, JSON.stringify(answer.body));
      return;
    }
    if (smart && url.pathname === kTokenPath && method === 'POST') {
      const answer = await smart.token(originOf(req, port), bodyText);
      if (answer.status === 200) stats.countToken();
      log(`POST ${kTokenPath} -> ${answer.status}${answer.status === 200 ? '' : ` ${answer.body.error}`}`);
      send(res, answer.status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, JSON.stringify(answer.body));
      return;
    }
    if (smart && method === 'GET' && url.pathname === `${opts.base}/.well-known/smart-configuration`) {
      send(res, 200, { 'Content-Type': 'application/json' }, JSON.stringify(smart.configuration(originOf(req, port))));
      return;
    }
    const underBase = url.pathname === opts.base || url.pathname.startsWith(`${opts.base}/`);
    if (!underBase) {
      sendFhir(res, 404, {}, outcomeOf(`Not a FHIR path; the base is ${opts.base}`, 'not-found'));
      return;
    }
    // --open-metadata: the CapabilityStatement without a token, as most real servers serve it
    // (SMART on FHIR requires it), so only a request for data can tell a bad token.
    const openMetadata = opts['open-metadata'] && method === 'GET' && url.pathname === `${opts.base}/metadata`;
    const authorized = smart ? smart.accepts(req.headers.authorization) : !requiredToken || bearerMatches(req.headers.authorization, requiredToken);
    if (!openMetadata && !authorized) {
      sendFhir(res, 401, { 'WWW-Authenticate': 'Bearer' }, outcomeOf('Unauthorized', 'login'));
      return;
    }

    const relPath = url.pathname.slice(opts.base.length) || '/';
    stats.countRequest(method, statsType(method, relPath));
    const fault = faults.take(method, relPath);
    if (fault) stats.countFault(fault.action);

    if (fault?.action === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    let answer;
    if (!fault || fault.commit) {
      answer = await host.handle({
        method,
        path: relPath,
        query: url.searchParams,
        headers: req.headers,
        body: bodyText,
        origin: originOf(req, port),
      });
    }
    log(`${method} ${req.url} -> ${answer?.status ?? '-'}${fault ? ` [fault ${fault.action}]` : ''} ${Date.now() - started}ms`);

    if (!fault || fault.action === 'delay') {
      stats.countStatus(answer.status);
      sendFhir(res, answer.status, answer.headers, answer.body);
    } else if (fault.action === 'status') {
      stats.countStatus(fault.status);
      const headers = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
      const code = fault.status >= 500 ? 'transient' : 'processing';
      sendFhir(res, fault.status, headers, outcomeOf(`Injected fault: HTTP ${fault.status}`, code));
    } else if (fault.action === 'garbage') {
      stats.countStatus(200);
      send(res, 200, { 'Content-Type': kFhirJson }, kGarbage);
    } else if (fault.action === 'large') {
      stats.countStatus(200);
      sendLarge(res, fault.bytes, fault.chunked);
    } else if (fault.action === 'truncate') {
      stats.countStatus(answer.status);
      const full = Buffer.from(JSON.stringify(answer.body ?? {}));
      const half = full.subarray(0, Math.max(1, Math.floor(full.length / 2)));
      res.writeHead(answer.status, { ...answer.headers, 'Content-Type': kFhirJson, 'Content-Length': half.length });
      res.end(half);
    } else {
      req.socket.destroy(); // drop / drop-after-commit: no response at all
    }
  }

  const server = https.createServer(tls, (req, res) => {
    onRequest(req, res).catch((err) => {
      process.stderr.write(`fhir-server: internal error: ${err.stack ?? err}\n`);
      sendFhir(res, 500, {}, outcomeOf('Internal server error', 'exception', 'error', String(err)));
    });
  });
  server.on('tlsClientError', (err) => log(`TLS error: ${err.message}`));
  server.listen(opts.port, '127.0.0.1', () => {
    port = server.address().port;
    process.stdout.write(`listening https://127.0.0.1:${port}${opts.base}\n`);
  });
  server.on('error', (err) => fail(`cannot listen on 127.0.0.1:${opts.port}: ${err.message}`));

  const stop = () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(`fhir-server: ${err.stack ?? err}\n`);
  process.exit(1);
});
