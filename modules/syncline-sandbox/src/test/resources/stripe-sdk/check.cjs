// Drives the payments sandbox with the official Stripe Node SDK and prints what it saw as one JSON line.
// Arguments: <base url> <api key> <webhook payload file> <Stripe-Signature header> <webhook secret>
'use strict';
const fs = require('fs');
const Stripe = require('stripe');

async function main() {
  const [base, key, payloadFile, signature, secret] = process.argv.slice(2);
  const url = new URL(base);
  const stripe = new Stripe(key, {
    host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 6,
  });
  const out = {};

  const first = await stripe.customers.create({email: 'sdk@example.com', metadata: {source: 'sdk'}},
      {idempotencyKey: 'sdk-create-1'});
  const again = await stripe.customers.create({email: 'sdk@example.com', metadata: {source: 'sdk'}},
      {idempotencyKey: 'sdk-create-1'});
  out.customerId = first.id;
  out.idempotentSame = first.id === again.id;
  const updated = await stripe.customers.update(first.id, {name: 'SDK User', metadata: {plan: 'pro'}});
  out.updatedName = updated.name;
  out.updatedMetadata = updated.metadata;

  const pi = await stripe.paymentIntents.create({amount: 4200, currency: 'usd', customer: first.id,
    payment_method: 'pm_card_visa', confirm: true, expand: ['latest_charge']});
  out.intentStatus = pi.status;
  out.latestChargeObject = pi.latest_charge && pi.latest_charge.object;

  try {
    await stripe.paymentIntents.create({amount: 4200, currency: 'usd', payment_method: 'pm_card_chargeDeclined',
      confirm: true});
    out.declineError = null;
  } catch (e) {
    out.declineError = {type: e.type, code: e.code, decline_code: e.decline_code, statusCode: e.statusCode};
  }

  try {
    await stripe.charges.retrieve('ch_does_not_exist');
    out.missingError = null;
  } catch (e) {
    out.missingError = {type: e.type, code: e.code, statusCode: e.statusCode, param: e.param};
  }

  const all = await stripe.customers.list({limit: 3}).autoPagingToArray({limit: 10000});
  out.pagedCustomerIds = all.map(c => c.id);

  const events = await stripe.events.list({types: ['customer.created', 'customer.updated'], limit: 100});
  out.eventTypes = events.data.map(e => e.type);

  // Injected 429s carry Stripe-Should-Retry: true, so the SDK must retry them transparently.
  await fetch(base + '/_sandbox/faults', {method: 'POST', body: JSON.stringify({rateLimitRatio: 0.3})});
  let throttledCallsSucceeded = 0;
  for (let i = 0; i < 6; i++) {
    await stripe.customers.list({limit: 1});
    throttledCallsSucceeded++;
  }
  await fetch(base + '/_sandbox/faults/reset', {method: 'POST'});
  out.throttledCallsSucceeded = throttledCallsSucceeded;

  const payload = fs.readFileSync(payloadFile, 'utf8');
  const verified = stripe.webhooks.constructEvent(payload, signature, secret);
  out.webhookEventId = verified.id;
  try {
    stripe.webhooks.constructEvent(payload, signature, secret + 'x');
    out.wrongSecretRejected = false;
  } catch (e) {
    out.wrongSecretRejected = e.type === 'StripeSignatureVerificationError';
  }
  console.log(JSON.stringify(out));
}

main().catch(e => {
  console.error(e && e.stack || e);
  process.exit(1);
});
