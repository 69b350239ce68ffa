#!/usr/bin/env node
// A loopback HTTP proxy for tests of a client's proxy settings: it tunnels CONNECT requests to
// loopback targets only, and appends one line per request ("CONNECT host:port", or "GET url" for a
// plain proxied request, which it refuses with 403) to the --record file, so a test can tell
// whether, and for what, the proxy was used. Prints "listening PORT" on stdout once ready.

import { appendFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, record: { type: 'string' } },
  strict: true,
});
if (!values.record) {
  process.stderr.write('usage: node connect-proxy.mjs --record FILE [--port N]\n');
  process.exit(2);
}
const record = (line) => appendFileSync(values.record, `${line}\n`);
const kLoopback = /^(127\.0\.0\.1|localhost|\[::1\]):\d+$/i;

const proxy = http.createServer((req, res) => {
  record(`${req.method} ${req.url}`);
  res.writeHead(403, { 'Content-Type': 'text/plain' });
  res.end('this test proxy only tunnels (CONNECT)\n');
});
proxy.on('connect', (req, client, head) => {
  record(`CONNECT ${req.url}`);
  if (!kLoopback.test(req.url)) {
    client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    return;
  }
  const colon = req.url.lastIndexOf(':');
  const host = req.url.slice(0, colon).replace(/^\[|\]$/g, '');
  const upstream = net.connect(Number(req.url.slice(colon + 1)), host, () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  const close = () => {
    upstream.destroy();
    client.destroy();
  };
  upstream.on('error', () => {
    if (client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    close();
  });
  client.on('error', close);
});
proxy.listen(Number(values.port), '127.0.0.1', () => {
  process.stdout.write(`listening ${proxy.address().port}\n`);
});
const stop = () => {
  proxy.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
