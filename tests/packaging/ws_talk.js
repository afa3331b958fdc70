// Talks to an installed emailrag server the way the seed's client example does, with Node's `ws`:
// connect with ?token=, expect `connected`, ping -> pong (request_id echoed, timestamp in UTC),
// stream_search -> search_result* then search_complete. Exits 0 when every reply is as documented.
// Usage: node ws_talk.js WS_URL TOKEN QUERY MIN_RESULTS [MAX_RESULTS]
'use strict';
const WebSocket = require('ws');

const [url, token, query, minResultsText, maxResultsText] = process.argv.slice(2);
const minResults = Number(minResultsText || '0');
const maxResults = maxResultsText === undefined ? Infinity : Number(maxResultsText);
if (!url || !token || !query) {
    console.error('usage: node ws_talk.js WS_URL TOKEN QUERY MIN_RESULTS');
    process.exit(2);
}

const isoUtc = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
function fail(why) {
    console.error(`ws_talk: FAIL: ${why}`);
    process.exit(1);
}
const timer = setTimeout(() => fail(`no complete conversation within 20 s (step: ${step})`), 20000);

let step = 'connect';
let results = 0;
const ws = new WebSocket(`${url}?token=${encodeURIComponent(token)}`);
ws.on('error', (e) => fail(`socket error: ${e.message}`));
ws.on('close', (code) => { if (step !== 'done') fail(`closed with code ${code} during step ${step}`); });
ws.on('message', (raw, isBinary) => {
    if (isBinary) return;
    let m;
    try { m = JSON.parse(raw.toString()); } catch (e) { fail(`not JSON: ${raw}`); }
    if (typeof m.timestamp !== 'string' || !isoUtc.test(m.timestamp))
        fail(`message ${m.type} without an ISO-8601 UTC timestamp: ${raw}`);
    if (m.type === 'error') fail(`server error during ${step}: ${raw}`);

    if (step === 'connect') {
        if (m.type !== 'connected') fail(`first message is ${m.type}, not connected`);
        if (!m.data || !m.data.session_id || m.data.user_id === undefined) fail(`connected lacks session_id/user_id: ${raw}`);
        console.log(`connected: session ${m.data.session_id}, user ${m.data.user_id}`);
        step = 'ping';
        ws.send(JSON.stringify({ type: 'ping', request_id: 'pkg_ping_1' }));
    } else if (step === 'ping') {
        if (m.type !== 'pong') return; // e.g. a system_status push
        if (m.request_id !== 'pkg_ping_1') fail(`pong echoes request_id ${m.request_id}`);
        console.log('pong ok');
        step = 'search';
        ws.send(JSON.stringify({ type: 'stream_search', data: { query, limit: 10 }, request_id: 'pkg_search_1' }));
    } else if (step === 'search') {
        if (m.type === 'search_result') {
            if (m.request_id !== 'pkg_search_1') fail(`search_result for request ${m.request_id}`);
            if (!m.data || m.data.email_id === undefined || typeof m.data.score !== 'number')
                fail(`search_result lacks email_id/score: ${raw}`);
            results++;
        } else if (m.type === 'search_complete') {
            if (m.request_id !== 'pkg_search_1') fail(`search_complete for request ${m.request_id}`);
            if (typeof m.data.total_results !== 'number') fail(`search_complete lacks total_results: ${raw}`);
            if (results < minResults || results > maxResults)
                fail(`search '${query}' gave ${results} results, expected ${minResults} to ${maxResults}`);
            console.log(`search ok: ${results} results streamed, total_results ${m.data.total_results}`);
            step = 'done';
            clearTimeout(timer);
            ws.close(1000);
        }
    }
});
ws.on('close', () => { if (step === 'done') process.exit(0); });
