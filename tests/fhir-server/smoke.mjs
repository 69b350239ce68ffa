// Smoke test of the loopback FHIR server: starts it on port 0 with a fresh test PKI and seed, then
// checks reads, conditional create, If-Match, paging, _lastUpdated deltas, every fault action,
// bearer auth and mutual TLS. TLS is always verified against the test CA, never disabled.
// Run: node --test tests/fhir-server/smoke.mjs (after `npm ci` in tests/fhir-server).

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import tls from 'node:tls';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

const here = dirname(fileURLToPath(import.meta.url));
const kControlToken = 'smoke-control-token';
const kApiToken = 'smoke-api-token';
const kAttendance = 'urn:iop-kiosk:attendance';
const servers = [];
let dir;
let pki;
let main; // the server most tests talk to

function seedBundle() {
  const rooms = [1, 2, 3, 4, 5].map((n) => ({
    resourceType: 'Location',
    id: `room-${n}`,
    name: `Room ${n}`,
    partOf: { reference: 'Location/site-1' },
  }));
  const resources = [
    { resourceType: 'Location', id: 'site-1', name: 'Main clinic', meta: { versionId: 'seed', lastUpdated: '2001-01-01T00:00:00Z' } },
    ...rooms,
    { resourceType: 'Patient', id: 'pat-1', name: [{ given: ['Alex'], family: 'Doe' }] },
  ];
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
}

function startServer(extraArgs, certName = 'server') {
  const args = [join(here, 'server.mjs'), '--port', '0', '--cert', join(pki, `${certName}.crt`), '--key', join(pki, `${certName}.key`), ...extraArgs];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { proc, stderr: '' };
  servers.push(server);
  proc.stderr.on('data', (d) => (server.stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${server.stderr}`)), 30000);
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${server.stderr}`)));
    createInterface({ input: proc.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const match = /^listening (https:\/\/127\.0\.0\.1:(\d+))(\/fhir\/R4)$/.exec(line);
      if (!match) return reject(new Error(`unexpected first line: ${line}`));
      resolve(Object.assign(server, { origin: match[1], port: Number(match[2]), base: match[1] + match[3] }));
    });
  });
}

/** One HTTPS request on a fresh connection; resolves {status, headers, text, json} or rejects on a socket error. */
function request(method, url, { headers = {}, body, tls = {}, timeoutMs } = {}) {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const allHeaders = { Accept: 'application/fhir+json', ...headers };
  if (text !== undefined) allHeaders['Content-Type'] ??= 'application/fhir+json';
  // agent: false gives every request its own connection, so a dropped socket affects only it.
  const options = { method, agent: false, ca: readFileSync(join(pki, 'ca.crt')), ...tls, headers: allHeaders };
  return new Promise((resolve, reject) => {
    const req = https.request(url, options, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const out = { status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') };
        try {
          out.json = JSON.parse(out.text);
        } catch {
          out.json = undefined;
        }
        resolve(out);
      });
    });
    req.on('error', reject);
    if (timeoutMs) req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('client timeout'), { code: 'ETIMEDOUT' })));
    req.end(text);
  });
}

const fhir = (method, path, options) => request(method, `${main.base}${path}`, options);
const control = (method, path, body) =>
  request(method, `${main.origin}/__control${path}`, { body, headers: { Authorization: `Bearer ${kControlToken}`, 'Content-Type': 'application/json' } });

function encounter(key) {
  return {
    resourceType: 'Encounter',
    status: 'arrived',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: 'Patient/pat-1' },
    period: { start: '2025-01-06T15:02:00Z' },
    identifier: [{ system: kAttendance, value: key }],
  };
}

const createEncounter = (key, options = {}) =>
  fhir('POST', '/Encounter', { ...options, body: encounter(key), headers: { 'If-None-Exist': `identifier=${kAttendance}|${key}` } });

async function countEncounters(key) {
  const res = await fhir('GET', `/Encounter?identifier=${encodeURIComponent(`${kAttendance}|${key}`)}`);
  assert.equal(res.status, 200);
  return res.json.total;
}

before(async () => {
  if (!existsSync(join(here, 'node_modules', '@medplum', 'fhir-router'))) {
    throw new Error(`dependencies missing: run "npm ci" in ${here}`);
  }
  dir = mkdtempSync(join(tmpdir(), 'fhir-smoke-'));
  pki = join(dir, 'pki');
  execFileSync('bash', [join(here, 'make-test-pki.sh'), pki], { stdio: ['ignore', 'inherit', 'inherit'] });
  writeFileSync(join(dir, 'seed.json'), JSON.stringify(seedBundle()));
  writeFileSync(join(dir, 'api-token'), `${kApiToken}\n`);
  main = await startServer(['--seed', join(dir, 'seed.json'), '--control-token', kControlToken]);
});

after(() => {
  for (const s of servers) s.proc.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('reads a seeded resource with its own id, ETag, Last-Modified and Date', async () => {
  const res = await fhir('GET', '/Location/site-1');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /^application\/fhir\+json/);
  assert.equal(res.json.id, 'site-1');
  assert.notEqual(res.json.meta.versionId, 'seed', 'server owns versionId');
  assert.notEqual(res.json.meta.lastUpdated, '2001-01-01T00:00:00Z', 'server owns lastUpdated');
  assert.equal(res.headers.etag, `W/"${res.json.meta.versionId}"`);
  assert.equal(res.headers['last-modified'], new Date(res.json.meta.lastUpdated).toUTCString());
  assert.ok(res.headers.date);
  const viaName = await request('GET', `https://localhost:${main.port}/fhir/R4/Patient/pat-1`);
  assert.equal(viaName.status, 200, 'certificate is valid for localhost too');
});

test('conditional create twice makes one resource', async () => {
  const first = await createEncounter('cc-1');
  assert.equal(first.status, 201);
  assert.equal(first.headers.location, `${main.base}/Encounter/${first.json.id}/_history/${first.json.meta.versionId}`);
  assert.equal(first.headers.etag, `W/"${first.json.meta.versionId}"`);
  const second = await createEncounter('cc-1');
  assert.equal(second.status, 200);
  assert.equal(second.json.id, first.json.id);
  assert.equal(await countEncounters('cc-1'), 1);
  const typo = await fhir('POST', '/Encounter', { body: encounter('cc-1'), headers: { 'If-None-Exist': 'identifer=x|y' } });
  assert.equal(typo.status, 400, 'an unknown parameter must not silently create a duplicate');
});

test('parallel conditional creates of one identifier make one resource', async () => {
  const results = await Promise.all(Array.from({ length: 8 }, () => createEncounter('cc-parallel')));
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
  assert.equal(new Set(results.map((r) => r.json.id)).size, 1);
  assert.equal(await countEncounters('cc-parallel'), 1);
});

test('If-Match: mismatch 412, match 200 with a new ETag', async () => {
  const current = await fhir('GET', '/Location/room-1');
  const update = { ...current.json, name: 'Room 1 (renamed)' };
  const stale = await fhir('PUT', '/Location/room-1', { body: update, headers: { 'If-Match': 'W/"not-the-version"' } });
  assert.equal(stale.status, 412);
  assert.equal(stale.json.resourceType, 'OperationOutcome');
  const bare = await fhir('PUT', '/Location/room-1', { body: update, headers: { 'If-Match': 'not-the-version' } });
  assert.equal(bare.status, 412, 'an unquoted ETag is compared too');
  const ok = await fhir('PUT', '/Location/room-1', { body: update, headers: { 'If-Match': current.headers.etag } });
  assert.equal(ok.status, 200);
  assert.notEqual(ok.headers.etag, current.headers.etag);
  const bareOk = await fhir('PUT', '/Location/room-1', { body: update, headers: { 'If-Match': ok.json.meta.versionId } });
  assert.equal(bareOk.status, 200);
  const created = await fhir('PUT', '/Location/room-new', { body: { resourceType: 'Location', id: 'room-new', name: 'New' } });
  assert.equal(created.status, 201, 'update-as-create answers 201');
  assert.equal((await fhir('DELETE', '/Location/room-new')).status, 200);
});

test('paging with _count=2 follows absolute next links to the end', async () => {
  const seen = [];
  let url = `${main.base}/Location?_count=2`;
  let pages = 0;
  let total;
  while (url) {
    assert.ok(url.startsWith(`${main.base}/Location?`), `absolute link: ${url}`);
    const res = await request('GET', url);
    assert.equal(res.status, 200);
    assert.ok(res.json.meta.lastUpdated, 'search Bundle carries meta.lastUpdated');
    assert.ok((res.json.entry ?? []).length <= 2);
    seen.push(...(res.json.entry ?? []).map((e) => e.resource.id));
    total = res.json.total;
    url = res.json.link.find((l) => l.relation === 'next')?.url;
    pages += 1;
    assert.ok(pages < 20, 'paging terminates');
  }
  assert.equal(total, 6);
  assert.equal(new Set(seen).size, 6);
  assert.equal(pages, 3);
  const counted = await fhir('GET', '/Location?_summary=count');
  assert.equal(counted.json.total, 6);
  assert.equal(counted.json.entry, undefined);
});

test('_lastUpdated=gt cursor returns only later changes; _id takes a list', async () => {
  const all = await fhir('GET', '/Location?_count=100');
  const cursor = all.json.meta.lastUpdated;
  await new Promise((r) => setTimeout(r, 5));
  const room = (await fhir('GET', '/Location/room-3')).json;
  assert.equal((await fhir('PUT', '/Location/room-3', { body: { ...room, name: 'Room 3b' } })).status, 200);
  const delta = await fhir('GET', `/Location?_lastUpdated=gt${encodeURIComponent(cursor)}`);
  assert.equal(delta.status, 200);
  assert.deepEqual(delta.json.entry.map((e) => e.resource.id), ['room-3']);
  const byId = await fhir('GET', '/Location?_id=room-2,room-4,nope');
  assert.deepEqual(byId.json.entry.map((e) => e.resource.id).sort(), ['room-2', 'room-4']);
});

test('errors answer with OperationOutcome and the right status', async () => {
  assert.equal((await fhir('GET', '/Location?nme=x')).status, 400);
  assert.equal((await fhir('GET', '/Location?_include=Location:partof')).status, 400);
  assert.equal((await fhir('GET', '/Nonsense/1')).status, 404);
  assert.equal((await fhir('GET', '/Location/missing')).status, 404);
  assert.equal((await fhir('POST', '/Encounter', { body: { resourceType: 'Encounter' } })).status, 422);
  assert.equal((await fhir('POST', '/Encounter', { body: '{"resourceType":' })).status, 400);
  await fhir('PUT', '/Location/gone-1', { body: { resourceType: 'Location', id: 'gone-1' } });
  await fhir('DELETE', '/Location/gone-1');
  const gone = await fhir('GET', '/Location/gone-1');
  assert.equal(gone.status, 410);
  assert.equal(gone.json.resourceType, 'OperationOutcome');
});

describe('fault injection', () => {
  before(async () => assert.equal((await control('POST', '/reset')).status, 200));
  const setFaults = async (body) => assert.equal((await control('POST', '/faults', body)).status, 200);
  const encounterPath = { method: 'POST', path: '/Encounter' };

  test('status 503 with Retry-After is not committed, and only hits matching requests', async () => {
    await setFaults({ faults: [{ match: encounterPath, action: 'status', status: 503, retryAfter: 2 }] });
    assert.equal((await fhir('GET', '/Location/site-1')).status, 200, 'a GET does not consume a POST fault');
    const res = await createEncounter('f-503');
    assert.equal(res.status, 503);
    assert.equal(res.headers['retry-after'], '2');
    assert.equal(res.json.resourceType, 'OperationOutcome');
    assert.equal(await countEncounters('f-503'), 0);
    assert.equal((await createEncounter('f-503')).status, 201, 'the queue is used up');
  });

  test('status 500 with count 2 applies twice', async () => {
    await setFaults({ faults: [{ match: encounterPath, action: 'status', status: 500 }], count: 2 });
    assert.equal((await createEncounter('f-500')).status, 500);
    assert.equal((await createEncounter('f-500')).status, 500);
    assert.equal((await createEncounter('f-500')).status, 201);
  });

  test('garbage: 200 with a non-JSON body, request committed', async () => {
    await setFaults({ faults: [{ match: encounterPath, action: 'garbage' }] });
    const res = await createEncounter('f-garbage');
    assert.equal(res.status, 200);
    assert.equal(res.json, undefined);
    assert.equal(await countEncounters('f-garbage'), 1);
  });

  test('truncate: valid JSON cut in half, request committed', async () => {
    await setFaults({ faults: [{ match: encounterPath, action: 'truncate' }] });
    const res = await createEncounter('f-trunc');
    assert.equal(res.status, 201);
    assert.equal(res.json, undefined);
    assert.ok(res.text.startsWith('{"resourceType":"Encounter"'), res.text);
    assert.equal(await countEncounters('f-trunc'), 1);
  });

  test('drop-after-commit: no response, but the retry finds the resource', async () => {
    await setFaults({ faults: [{ match: encounterPath, action: 'drop-after-commit' }] });
    await assert.rejects(createEncounter('f-drop'), (err) => ['ECONNRESET', 'EPIPE'].includes(err.code) || /socket hang up/.test(err.message));
    assert.equal(await countEncounters('f-drop'), 1);
    const retry = await createEncounter('f-drop');
    assert.equal(retry.status, 200, 'conditional create makes the retry exactly-once');
    assert.equal(await countEncounters('f-drop'), 1);
  });

  test('drop: no response and nothing committed', async () => {
    await setFaults({ faults: [{ match: encounterPath, action: 'drop' }] });
    await assert.rejects(createEncounter('f-drop0'));
    assert.equal(await countEncounters('f-drop0'), 0);
  });

  test('delay: answers normally after the delay', async () => {
    await setFaults({ faults: [{ match: { path: '/Location' }, action: 'delay', ms: 400 }] });
    const started = Date.now();
    const res = await fhir('GET', '/Location/room-2');
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started >= 390, `took ${Date.now() - started} ms`);
  });

  test('delay past the client timeout: the request still commits after the client gave up', async () => {
    await setFaults({ faults: [{ match: encounterPath, action: 'delay', ms: 600 }] });
    await assert.rejects(createEncounter('f-late', { timeoutMs: 150 }), { code: 'ETIMEDOUT' });
    assert.equal(await countEncounters('f-late'), 0, 'not yet committed');
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(await countEncounters('f-late'), 1, 'committed after the delay');
  });

  test('stats count requests per method and type; reset clears faults', async () => {
    const stats = (await control('GET', '/stats')).json;
    assert.ok(stats.requests['POST Encounter'] >= 10, JSON.stringify(stats));
    assert.equal(stats.faultsApplied.status, 3);
    assert.equal(stats.faultsApplied.delay, 2);
    await setFaults({ faults: [{ action: 'status', status: 500 }] });
    assert.equal((await control('POST', '/reset')).status, 200);
    assert.equal((await fhir('GET', '/Location/site-1')).status, 200);
    assert.equal((await control('GET', '/stats')).json.total, 1);
  });

  test('the control API needs its token; health does not', async () => {
    assert.equal((await request('GET', `${main.origin}/__control/stats`)).status, 401);
    assert.equal((await request('GET', `${main.origin}/__control/health`)).status, 200);
    const bad = await control('POST', '/faults', { faults: [{ action: 'explode' }] });
    assert.equal(bad.status, 400);
  });
});

describe('careless switches', () => {
  before(async () => assert.equal((await control('POST', '/reset')).status, 200));
  after(async () => assert.equal((await control('POST', '/reset')).status, 200));

  test('ignoreSearch returns more than was asked; ignoreIfNoneExist creates a duplicate; reset clears both', async () => {
    assert.equal((await createEncounter('c-1')).status, 201);
    assert.equal((await createEncounter('c-2')).status, 201);
    assert.equal(await countEncounters('c-1'), 1);
    const set = await control('POST', '/careless', { ignoreSearch: ['identifier'], ignoreIfNoneExist: true });
    assert.equal(set.status, 200);
    assert.ok((await countEncounters('c-1')) >= 2, 'the identifier is ignored: every Encounter matches');
    assert.equal((await createEncounter('c-1')).status, 201, 'If-None-Exist is ignored');
    assert.equal((await control('POST', '/careless', { ignoreSearch: 'identifier' })).status, 400);
    assert.equal((await control('POST', '/reset')).status, 200);
    assert.equal(await countEncounters('c-1'), 2, 'after a reset the search is exact again (and the duplicate is there)');
  });
});

describe('careless next links', () => {
  after(async () => assert.equal((await control('POST', '/reset')).status, 200));

  test('each link style, read against the request URL, walks the same pages', async () => {
    const walk = async () => {
      const ids = [];
      let url = `${main.base}/Location?_count=2&_sort=_id`;
      for (let pages = 0; url && pages < 10; pages++) {
        const res = await request('GET', url);
        assert.equal(res.status, 200);
        ids.push(...(res.json.entry ?? []).map((e) => e.resource.id));
        const next = res.json.link.find((l) => l.relation === 'next')?.url;
        if (!next) break;
        const resolved = new URL(next, url);
        resolved.protocol = 'https:'; // as a careful client does: back to the server it asked
        resolved.host = new URL(main.origin).host;
        resolved.username = resolved.password = '';
        url = resolved.href;
      }
      return ids;
    };
    const expected = await walk();
    assert.equal(expected.length, 6);
    const styles = { path: /^\/fhir\/R4\/Location\?/, relative: /^Location\?/, query: /^\?/, foreign: /^https:\/\/kiosk:secret@fhir-internal\.invalid:8444\/fhir\/R4\/Location\?/ };
    for (const [style, shape] of Object.entries(styles)) {
      assert.equal((await control('POST', '/careless', { nextLinks: style })).status, 200);
      const page = await fhir('GET', '/Location?_count=2&_sort=_id');
      assert.match(page.json.link.find((l) => l.relation === 'next').url, shape, style);
      assert.deepEqual(await walk(), expected, style);
    }
    assert.equal((await control('POST', '/careless', { nextLinks: 'sideways' })).status, 400);
  });
});

test('the large fault streams a padded Bundle, with or without Content-Length', async () => {
  for (const chunked of [false, true]) {
    await control('POST', '/faults', { faults: [{ action: 'large', bytes: 3 * 1024 * 1024, chunked, match: { path: '/Location' } }] });
    const res = await fhir('GET', '/Location?_count=1');
    assert.equal(res.status, 200);
    assert.equal(res.text.length, 3 * 1024 * 1024);
    assert.equal(res.headers['content-length'], chunked ? undefined : String(3 * 1024 * 1024));
    assert.equal(res.json.resourceType, 'Bundle');
  }
});

test('bearer token and mutual TLS', async () => {
  const locked = await startServer(['--require-token', join(dir, 'api-token'), '--client-ca', join(pki, 'ca.crt')]);
  const client = { cert: readFileSync(join(pki, 'client.crt')), key: readFileSync(join(pki, 'client.key')) };
  const url = `${locked.base}/metadata`;
  assert.equal((await request('GET', url, { tls: client })).status, 401);
  const ok = await request('GET', url, { tls: client, headers: { Authorization: `Bearer ${kApiToken}` } });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.resourceType, 'CapabilityStatement');
  await assert.rejects(request('GET', url, { headers: { Authorization: `Bearer ${kApiToken}` } }), (err) =>
    // TLS 1.3 reports the missing certificate as an alert after the handshake; 1.2 as a reset.
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'ECONNRESET'].includes(err.code));
});

test('the CapabilityStatement declares each type\'s search parameters; --undeclare leaves one out', async () => {
  const searchParams = async (server, type) => {
    const res = await request('GET', `${server.base}/metadata`);
    const entry = res.json.rest[0].resource.find((r) => r.type === type);
    return { names: entry.searchParam.map((p) => p.name), entry };
  };
  const full = await startServer([]);
  const { names, entry } = await searchParams(full, 'Appointment');
  assert.ok(names.includes('date') && names.includes('location'));
  assert.equal(entry.conditionalCreate, true);
  assert.equal(entry.versioning, 'versioned-update');
  const less = await startServer(['--undeclare', 'Appointment:date', '--undeclare', 'Encounter:appointment']);
  const appointment = await searchParams(less, 'Appointment');
  assert.ok(!appointment.names.includes('date') && appointment.names.includes('location'));
  assert.ok(!(await searchParams(less, 'Encounter')).names.includes('appointment'));
  // Still supported: only the statement leaves it out.
  assert.equal((await request('GET', `${less.base}/Appointment?date=ge2026-01-01T00:00:00Z`)).status, 200);
});

test('--open-metadata: the CapabilityStatement without a token, data only with it', async () => {
  const open = await startServer(['--require-token', join(dir, 'api-token'), '--open-metadata', '--seed', join(dir, 'seed.json')]);
  assert.equal((await request('GET', `${open.base}/metadata`)).status, 200);
  assert.equal((await request('GET', `${open.base}/Location?_id=site-1`)).status, 401);
  const ok = await request('GET', `${open.base}/Location?_id=site-1`, { headers: { Authorization: `Bearer ${kApiToken}` } });
  assert.equal(ok.json.total, 1);
});

test('the connect proxy tunnels to loopback and records each request', async () => {
  const record = join(dir, 'proxy-record');
  const proc = spawn(process.execPath, [join(here, 'connect-proxy.mjs'), '--record', record], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = Number(/^listening (\d+)$/.exec(await new Promise((resolve) => createInterface({ input: proc.stdout }).once('line', resolve)))[1]);
    const { Agent } = https;
    const tunnel = await new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'CONNECT', path: `127.0.0.1:${main.port}` });
      req.on('connect', (res, socket) => (res.statusCode === 200 ? resolve(socket) : reject(new Error(`CONNECT ${res.statusCode}`))));
      req.on('error', reject);
      req.end();
    });
    const agent = new Agent({ ca: readFileSync(join(pki, 'ca.crt')) });
    agent.createConnection = (options) => tls.connect({ ...options, socket: tunnel, servername: 'localhost' });
    const res = await new Promise((resolve, reject) => {
      https.get(`${main.base}/metadata`, { agent, ca: readFileSync(join(pki, 'ca.crt')) }, (r) => {
        r.resume();
        r.on('end', () => resolve(r));
      }).on('error', reject);
    });
    assert.equal(res.statusCode, 200);
    assert.equal(readFileSync(record, 'utf8'), `CONNECT 127.0.0.1:${main.port}\n`);
  } finally {
    proc.kill();
  }
});

test('a server certificate from the untrusted CA is rejected', async () => {
  const rogue = await startServer([], 'untrusted-server');
  await assert.rejects(request('GET', `${rogue.base}/metadata`), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  const trusting = await request('GET', `${rogue.base}/metadata`, { tls: { ca: readFileSync(join(pki, 'untrusted-ca.crt')) } });
  assert.equal(trusting.status, 200, 'the untrusted pair is itself well formed');
});
