// A client outside Qt: Node.js with the `ws` package runs the client example flow of the seed
// document (../shared/seed/websocket-api.md) against the real `emailrag --server`:
// connect with ?token=, subscribe, stream_search, chat_message, ping — checking every reply's
// fields as the seed shows them. Run by CTest: node seed_client.mjs (EMAILRAG_BINARY set).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

const bin = process.env.EMAILRAG_BINARY;
if (!bin) {
  console.error('EMAILRAG_BINARY is not set');
  process.exit(1);
}
const data = mkdtempSync(join(tmpdir(), 'emailrag-node-'));
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
let server;

function run(args, input) {
  const r = spawnSync(bin, [...args, '--data', data], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, `emailrag ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(bin, ['--server', '--listen', '127.0.0.1:0', '--data', data], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 20000);
    server.stderr.on('data', (chunk) => {
      err += chunk;
      const m = /serving (ws:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

function mbox() {
  let out = '';
  for (let i = 0; i < 4; i++) {
    out += `From node${i}@example.org Mon Jan  5 10:0${i}:00 2026\n`;
    out += `From: Node Sender ${i} <node${i}@example.org>\nTo: you@example.org\n`;
    out += `Subject: Urgent: project milestone ${i}\nDate: Mon, 5 Jan 2026 10:0${i}:00 +0000\n`;
    out += `Message-ID: <node-${i}@example.org>\n\nThe project milestone ${i} is urgent and due on Friday.\n\n`;
  }
  return out;
}

// The seed's client class, as written there (plus promises to wait for replies).
class EmailRAGWebSocket {
  constructor() {
    this.requestId = 0;
    this.messages = [];
    this.waiters = [];
  }
  connect(url, token) {
    this.ws = new WebSocket(`${url}?token=${token}`);
    this.ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      this.messages.push(message);
      this.waiters = this.waiters.filter((w) => !w(message));
    };
    this.closed = new Promise((resolve) => { this.ws.onclose = (e) => resolve(e.code); });
    return new Promise((resolve, reject) => {
      this.ws.onopen = () => resolve();
      this.ws.onerror = (e) => reject(e.error ?? e);
    });
  }
  subscribe(channels) { return this.send('subscribe', { channels }); }
  searchStream(query) { return this.send('stream_search', { query, limit: 50 }); }
  send(type, data) {
    const message = { type, data, request_id: `req_${++this.requestId}` };
    this.ws.send(JSON.stringify(message));
    return message.request_id;
  }
  // Resolves with the first message (already received or future) matching `pred`.
  waitFor(pred, what, timeoutMs = 20000) {
    const found = this.messages.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push((m) => {
        if (!pred(m)) return false;
        clearTimeout(timer);
        resolve(m);
        return true;
      });
    });
  }
  reply(type, rid) { return this.waitFor((m) => m.type === type && m.request_id === rid, `${type} ${rid}`); }
}

async function main() {
  run(['user', 'add', 'nodeuser', '--password-stdin'], 'node-password\n');
  const token = run(['token', 'nodeuser', '--ttl', '1h']);
  assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const url = await startServer();
  const base = url.replace(/^ws/, 'http').replace(/\/api\/v1\/ws$/, '');

  // Login through the HTTP API gives a token too.
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ username: 'nodeuser', password: 'node-password' }) });
  assert.equal(login.status, 200);
  const tok = await login.json();
  assert.equal(tok.token_type, 'bearer');
  assert.ok(tok.access_token.split('.').length === 3);

  // Some mail to search, uploaded as an HTTP body.
  const up = await fetch(`${base}/api/v1/uploads?filename=node.mbox`, { method: 'POST', body: mbox(), headers: { Authorization: `Bearer ${token}` } });
  assert.equal(up.status, 202);
  const { upload_id } = await up.json();
  assert.match(upload_id, /^upload_/);

  const client = new EmailRAGWebSocket();
  await client.connect(url, token);
  const connected = await client.waitFor((m) => m.type === 'connected', 'connected');
  assert.equal(client.messages[0].type, 'connected', 'connected must come first');
  assert.equal(typeof connected.data.session_id, 'string');
  assert.match(connected.data.user_id, /^user_\d+$/);
  assert.match(connected.timestamp, TS);

  const sub = client.subscribe(['uploads', 'search_results']);
  const subscribed = await client.reply('subscribed', sub);
  assert.deepEqual([...subscribed.data.channels].sort(), ['search_results', 'uploads']);
  assert.match(subscribed.timestamp, TS);

  // The import runs in the background: search until it is indexed.
  let complete;
  let rid;
  for (let attempt = 0; attempt < 40; attempt++) {
    rid = client.searchStream('urgent project');
    complete = await client.reply('search_complete', rid);
    if (complete.data.total_results > 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(complete.data.total_results, 4);
  assert.equal(typeof complete.data.processing_time_ms, 'number');
  const hits = client.messages.filter((m) => m.type === 'search_result' && m.request_id === rid);
  assert.equal(hits.length, 4);
  for (const h of hits) {
    assert.match(h.data.email_id, /^email_\d+$/);
    assert.match(h.data.subject, /Urgent: project milestone/);
    assert.ok(h.data.score >= 0 && h.data.score <= 1);
  }

  const chat = client.send('chat_message', { message: 'Summarize emails about the project', conversation_id: 'conv_123' });
  const done = await client.reply('chat_response_complete', chat);
  assert.equal(done.data.conversation_id, 'conv_123');
  assert.ok(Array.isArray(done.data.sources) && done.data.sources.length > 0);
  for (const s of done.data.sources) {
    assert.match(s.email_id, /^email_\d+$/);
    assert.ok(s.relevance >= 0 && s.relevance <= 1);
  }
  const chunks = client.messages.filter((m) => m.type === 'chat_response_chunk' && m.request_id === chat);
  assert.ok(chunks.length > 0);
  for (const c of chunks) {
    assert.equal(c.data.conversation_id, 'conv_123');
    assert.equal(typeof c.data.chunk, 'string');
  }

  // Heartbeat: the seed's ping has no data.
  client.ws.send(JSON.stringify({ type: 'ping', request_id: 'ping_1' }));
  const pong = await client.reply('pong', 'ping_1');
  assert.match(pong.timestamp, TS);

  // Errors echo the request_id.
  client.ws.send(JSON.stringify({ type: 'stream_search', data: {}, request_id: 'bad_1' }));
  const err = await client.reply('error', 'bad_1');
  assert.equal(err.data.error_code, 'INVALID_REQUEST');
  assert.equal(typeof err.data.details, 'object');

  // Graceful shutdown: disconnecting before the close frame, exit code 0.
  const exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
  server.kill('SIGTERM');
  const bye = await client.waitFor((m) => m.type === 'disconnecting', 'disconnecting');
  assert.equal(bye.data.reason, 'server_shutdown');
  assert.equal(typeof bye.data.reconnect_delay_ms, 'number');
  assert.equal(await client.closed, 1001);
  assert.equal(await exited, 0);
  server = undefined;
  console.log('seed client flow: ok');
}

main()
  .then(() => { rmSync(data, { recursive: true, force: true }); process.exit(0); })
  .catch((e) => {
    console.error(e);
    if (server) server.kill('SIGKILL');
    rmSync(data, { recursive: true, force: true });
    process.exit(1);
  });
