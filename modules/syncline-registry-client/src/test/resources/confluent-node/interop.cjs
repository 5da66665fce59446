// Wire-format interop with a Confluent-compatible client we did not write (@kafkajs/confluent-schema-registry).
//   node interop.cjs <registryUrl> decode <hex>                   prints the decoded value as JSON
//   node interop.cjs <registryUrl> encode <subject> <schemaJsonFile> <valueJsonFile>
//                                                                 registers the schema, prints {"id":..,"hex":".."}
const fs = require('fs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

async function main() {
  const [url, mode, ...rest] = process.argv.slice(2);
  const registry = new SchemaRegistry({ host: url });
  if (mode === 'decode') {
    const decoded = await registry.decode(Buffer.from(rest[0], 'hex'));
    process.stdout.write(JSON.stringify(decoded));
  } else if (mode === 'encode') {
    const [subject, schemaFile, valueFile] = rest;
    const schema = fs.readFileSync(schemaFile, 'utf8');
    const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject });
    const encoded = await registry.encode(id, JSON.parse(fs.readFileSync(valueFile, 'utf8')));
    process.stdout.write(JSON.stringify({ id, hex: encoded.toString('hex') }));
  } else {
    throw new Error('unknown mode ' + mode);
  }
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
