// Drives the support sandbox with node-zendesk, a maintained Zendesk client, and prints what it saw as one JSON line.
// Arguments: <base url> <agent e-mail> <api token> <oauth access token>
'use strict';
const zendesk = require('node-zendesk');

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

// node-zendesk hands a 429 back as a result carrying statusCode 429 (it does not throw and does not retry), so a
// caller waits Retry-After and asks again; this is that caller.
async function withRetry(call, counter) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const {response, result} = await call();
    if (result instanceof Error && result.statusCode === 429) {
      counter.retried++;
      await sleep(Number(response.headers.get('retry-after') || '1') * 1000);
      continue;
    }
    return result;
  }
  throw new Error('still throttled after 20 attempts');
}

async function main() {
  const [base, email, token, oauthToken] = process.argv.slice(2);
  const client = zendesk.createClient({username: email, token, endpointUri: base + '/api/v2',
    throwOriginalException: true});
  const out = {};

  const me = await client.users.me();
  out.meEmail = me.result.email;

  const created = await client.users.createOrUpdate({user: {name: 'Node Customer', email: 'node@example.com'}});
  const again = await client.users.createOrUpdate({user: {name: 'Node Customer Jr', email: 'node@example.com'}});
  out.userStatus = [created.response.status, again.response.status];
  out.userSameId = created.result.id === again.result.id;
  out.userName = again.result.name;

  const ticket = await client.tickets.create({ticket: {subject: 'Payment failed', external_id: 'pay-node-1',
    requester_id: created.result.id, comment: {body: 'Card declined: 12.50 EUR'}, priority: 'high'}});
  out.ticketId = ticket.result.id;
  out.ticketStatus = ticket.result.status;

  const updated = await client.tickets.update(ticket.result.id, {ticket: {status: 'open',
    comment: {body: 'We are looking into it', public: true}}});
  out.updatedStatus = updated.result.status;

  const comments = await client.tickets.getComments(ticket.result.id);
  out.comments = comments.map(c => c.body);

  const byExternal = await client.tickets.listWithFilter('external_id', 'pay-node-1');
  out.byExternalIds = byExternal.map(t => t.id);

  const all = await client.tickets.list();
  out.listedIds = all.map(t => t.id);

  try {
    await client.tickets.show(999999);
    out.missing = null;
  } catch (e) {
    out.missing = {statusCode: e.statusCode, error: e.result && e.result.error};
  }
  try {
    await client.tickets.create({ticket: {subject: 'no comment'}});
    out.invalid = null;
  } catch (e) {
    out.invalid = {statusCode: e.statusCode, error: e.result && e.result.error,
      detail: e.result && e.result.details && Object.keys(e.result.details)};
  }

  // Exports leave out the last minute: move the sandbox clock past it first.
  await fetch(base + '/_sandbox/clock/advance', {method: 'POST', body: JSON.stringify({seconds: 120})});
  const start = Math.floor(Date.now() / 1000) - 3600;
  const exported = await client.tickets.incremental(start);
  out.exportedIds = exported.map(t => t.id);
  const cursor = await client.tickets.getAll(['incremental', 'tickets', 'cursor', {start_time: start}]);
  out.cursorExportedIds = cursor.map(t => t.id);

  await fetch(base + '/_sandbox/faults', {method: 'POST', body: JSON.stringify({rateLimitRatio: 0.5})});
  const counter = {retried: 0};
  let throttledCallsSucceeded = 0;
  for (let i = 0; i < 6; i++) {
    const user = await withRetry(() => client.users.me(), counter);
    if (user.email === email) {
      throttledCallsSucceeded++;
    }
  }
  await fetch(base + '/_sandbox/faults/reset', {method: 'POST'});
  out.throttledCallsSucceeded = throttledCallsSucceeded;
  out.retried = counter.retried;

  const oauth = zendesk.createClient({token: oauthToken, oauth: true, endpointUri: base + '/api/v2',
    throwOriginalException: true});
  out.oauthMe = (await oauth.users.me()).result.email;

  console.log(JSON.stringify(out));
}

main().catch(e => {
  console.error(e && e.stack || e);
  process.exit(1);
});
