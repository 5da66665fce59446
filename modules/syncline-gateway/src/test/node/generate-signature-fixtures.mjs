// Writes the signed-request fixtures in ../resources/signatures/ with the providers' own libraries, so the gateway's
// verifiers are checked against signatures they did not compute themselves. Run once by hand; the test suite reads
// the JSON files and never needs npm:
//
//   mkdir /tmp/sigfix && cd /tmp/sigfix && npm init -y && \
//     npm install stripe@23.1.0 standardwebhooks@1.1.1 @octokit/webhooks-methods@6.0.0 @hubspot/api-client@14.0.1
//   node <repo>/modules/syncline-gateway/src/test/node/generate-signature-fixtures.mjs <repo>/modules/syncline-gateway/src/test/resources/signatures
//
// Zendesk publishes no signing library; its fixture is computed with node:crypto from Zendesk's documented recipe
// (base64 HMAC-SHA256 over timestamp + body), still independent of the Java code under test.
import { createRequire } from 'node:module';
import { createHmac } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(join(process.cwd(), 'package.json'));
const out = process.argv[2];
if (!out) {
  console.error('usage: node generate-signature-fixtures.mjs <output-dir>');
  process.exit(2);
}
mkdirSync(out, { recursive: true });

// A fixed signing time: the Java tests run the gateway on a clock set to it.
const SIGNED_AT_SECONDS = 1736935200; // 2025-01-15T10:00:00Z
const SIGNED_AT_MS = SIGNED_AT_SECONDS * 1000;

function write(name, fixture) {
  writeFileSync(join(out, name), JSON.stringify(fixture, null, 2) + '\n');
  console.log('wrote', name);
}

// Stripe: the official SDK's test header; checked back with the SDK's own verifier at the same instant.
{
  const Stripe = require('stripe');
  const stripe = Stripe('sk_test_fixture');
  const secret = 'whsec_syncline_fixture_stripe_secret_0001';
  const body = JSON.stringify({
    id: 'evt_1QhFixture0001', object: 'event', type: 'charge.succeeded', created: SIGNED_AT_SECONDS,
    data: { object: { id: 'ch_3QhFixture0001', object: 'charge', amount: 1999, currency: 'eur',
      billing_details: { name: 'Zoë Ångström' }, status: 'succeeded' } },
  }, null, 2);
  const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: SIGNED_AT_SECONDS });
  stripe.webhooks.signature.verifyHeader(body, header, secret, 300, undefined, SIGNED_AT_SECONDS);
  write('stripe-charge-succeeded.json', {
    library: 'stripe@23.1.0 webhooks.generateTestHeaderString', secret, signedAtMillis: SIGNED_AT_MS,
    method: 'POST', url: null, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': header },
    body,
  });
}

// Standard Webhooks: the reference TypeScript library.
{
  const { Webhook } = require('standardwebhooks');
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_2fixtureSyncline0001';
  const body = '{"type":"invoice.paid","timestamp":"2025-01-15T10:00:00Z","data":{"id":"inv_77","amount":4200}}';
  const signature = new Webhook(secret).sign(id, new Date(SIGNED_AT_MS), body);
  write('standard-webhooks-invoice-paid.json', {
    library: 'standardwebhooks@1.1.1 Webhook.sign', secret, signedAtMillis: SIGNED_AT_MS, method: 'POST', url: null,
    headers: { 'Content-Type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(SIGNED_AT_SECONDS),
      'webhook-signature': signature },
    body,
  });
}

// HubSpot v3: the official Node client's Signature.getSignature over the public URL HubSpot calls.
{
  const { Signature } = require('@hubspot/api-client');
  const secret = '8f3c2a1e-5b7d-4c9a-9e2f-1a2b3c4d5e6f';
  const url = 'https://hooks.example.com/webhooks/hubspot?portalId=62515';
  const body = '[{"eventId":1001,"subscriptionId":77,"portalId":62515,"occurredAt":1736935199000,'
    + '"subscriptionType":"contact.propertyChange","attemptNumber":0,"objectId":51,"propertyName":"email",'
    + '"propertyValue":"zoe@example.com","changeSource":"CRM"}]';
  const signature = Signature.getSignature('POST', 'v3',
    { clientSecret: secret, requestBody: body, url, timestamp: SIGNED_AT_MS });
  write('hubspot-v3-contact-property-change.json', {
    library: '@hubspot/api-client@14.0.1 Signature.getSignature v3', secret, signedAtMillis: SIGNED_AT_MS,
    method: 'POST', url,
    headers: { 'Content-Type': 'application/json', 'X-HubSpot-Signature-v3': signature,
      'X-HubSpot-Request-Timestamp': String(SIGNED_AT_MS), 'X-HubSpot-Signature-Version': 'v3' },
    body,
  });
}

// Zendesk: documented recipe, node:crypto.
{
  const secret = 'dGhpc19pc19hX3plbmRlc2tfc2lnbmluZ19zZWNyZXQ';
  const timestamp = '2025-01-15T10:00:00Z';
  const body = '{"type":"zen:event-type:ticket.created","account_id":1234,"id":"cbe4028c-7239-495d-b020-f22348516046",'
    + '"time":"2025-01-15T09:59:59Z","zendesk_event_version":"2022-11-06","subject":"zen:ticket:35436",'
    + '"detail":{"id":"35436","subject":"Printer on fire","status":"NEW"}}';
  const signature = createHmac('sha256', secret).update(timestamp + body).digest('base64');
  write('zendesk-ticket-created.json', {
    library: 'node:crypto (Zendesk publishes no signing library)', secret, signedAtMillis: SIGNED_AT_MS,
    method: 'POST', url: null,
    headers: { 'Content-Type': 'application/json', 'X-Zendesk-Webhook-Signature': signature,
      'X-Zendesk-Webhook-Signature-Timestamp': timestamp, 'X-Zendesk-Webhook-Id': '01F1KRFQ6BG29CNWFR60NK5FNY' },
    body,
  });
}

// GitHub: Octokit's webhooks-methods sign().
{
  // Import-only package: resolve its entry file from the working directory's node_modules.
  const entry = join(process.cwd(), 'node_modules', '@octokit', 'webhooks-methods', 'dist-node', 'index.js');
  const { sign } = await import(pathToFileURL(entry).href);
  const secret = "It's a Secret to Everybody";
  const body = '{"action":"opened","issue":{"id":1,"number":42,"title":"Zoë’s bug"},"repository":{"full_name":"acme/app"}}';
  const signature = await sign(secret, body);
  write('github-issues-opened.json', {
    library: '@octokit/webhooks-methods@6.0.0 sign', secret, signedAtMillis: SIGNED_AT_MS, method: 'POST', url: null,
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signature,
      'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'X-GitHub-Event': 'issues' },
    body,
  });
}
