package io.syncline.normalizer.mapping;

import static io.syncline.normalizer.mapping.TestTargets.compile;
import static io.syncline.normalizer.mapping.TestTargets.context;
import static io.syncline.normalizer.mapping.TestTargets.mapping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.syncline.mapping.MappingContext;
import io.syncline.mapping.MappingException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Compiled mappings turn source records into canonical records, and fail records they cannot map. */
@SuppressWarnings("unchecked")
class MappingEvaluationTest {

    private static final CompiledMapping FULL = compile(mapping("""
              title: {coalesce: [{trim: /name}, {const: untitled}]}
              count: /count
              ratio: /ratio
              small: /small
              active: /active
              status: {enum: /status, values: {open: OPEN, closed: CLOSED}, default: UNKNOWN}
              price: {money: /amount, currency: /currency}
              created_at: {timestamp: /created, from: unix-seconds}
              day: {timestamp: /day, from: iso-8601}
              email: {email: /email}
              address: {record: {line1: /line1, country: {upper: /country}}, from: /address}
              tags: {each: /tags, value: $item}
              items: {each: /items/data, record: {sku: /sku, amount: {money: /amount, currency: $object/currency}, parent_id: {ref: $object/id}}}
              properties: {map: /metadata}
            """));

    private static GenericData.Record map(CompiledMapping m, MappingContext ctx) {
        return m.apply(ctx, m.eventId(ctx)).record();
    }

    @Test
    void mapsABareObjectWithEveryKindOfField() {
        MappingContext ctx = context("""
                {"id": "th_1", "object": "thing", "name": "  Grüße 🚀 ", "count": 12, "ratio": 0.25, "small": "7",
                 "active": true, "status": "open", "amount": 1999, "currency": "eur", "created": 1700000000,
                 "day": "2024-02-29", "email": "  Ada.Lovelace@Example.COM ",
                 "address": {"line1": "1 Main St", "country": "de"}, "tags": ["a", "b"],
                 "items": {"object": "list", "data": [{"sku": "s1", "amount": 500}, {"sku": "s2"}]},
                 "metadata": {"plan": "gold", "seats": 3, "vip": false, "empty": null, "nested": {"x": 1}}}
                """, "syncline.received-at", "2024-03-01T10:00:00Z", "syncline.event-id", "snap-1",
                "syncline.trace-id", "0af7651916cd43dd8448eb211c80319c");
        CanonicalChange change = FULL.apply(ctx, FULL.eventId(ctx));
        GenericRecord r = change.record();

        assertThat(change.key()).isEqualTo("test:th_1");
        assertThat(change.delete()).isFalse();
        assertThat(change.updatedAt()).isEqualTo(1709287200000L);
        assertThat(r.get("id")).isEqualTo("test:th_1");
        assertThat(r.get("title")).isEqualTo("Grüße 🚀");
        assertThat(r.get("count")).isEqualTo(12L);
        assertThat(r.get("ratio")).isEqualTo(0.25);
        assertThat(r.get("small")).isEqualTo(7);
        assertThat(r.get("active")).isEqualTo(true);
        assertThat(r.get("status")).hasToString("OPEN");
        assertThat(((GenericRecord) r.get("price")).get("amount")).isEqualTo(1999L);
        assertThat(((GenericRecord) r.get("price")).get("currency")).isEqualTo("EUR");
        assertThat(r.get("created_at")).isEqualTo(1_700_000_000_000L);
        assertThat(r.get("day")).isEqualTo(19782);
        assertThat(r.get("email")).isEqualTo("ada.lovelace@example.com");
        assertThat(((GenericRecord) r.get("address")).get("country")).isEqualTo("DE");
        assertThat((List<Object>) r.get("tags")).containsExactly("a", "b");
        List<?> items = (List<?>) r.get("items");
        assertThat(items).hasSize(2);
        GenericRecord first = (GenericRecord) items.get(0);
        assertThat(first.get("sku")).isEqualTo("s1");
        assertThat(((GenericRecord) first.get("amount")).get("currency")).isEqualTo("EUR");
        assertThat(first.get("parent_id")).isEqualTo("test:th_1");
        assertThat(((GenericRecord) items.get(1)).get("amount")).isNull();
        assertThat((Map<Object, Object>) r.get("properties")).containsExactly(Map.entry((Object) "plan", (Object) "gold"),
                Map.entry((Object) "seats", (Object) "3"), Map.entry((Object) "vip", (Object) "false"),
                Map.entry((Object) "nested", (Object) "{\"x\":1}"));
        assertThat(r.get("kind")).hasToString("thing");

        GenericRecord meta = (GenericRecord) r.get("metadata");
        assertThat(meta.get("source_system")).isEqualTo("test");
        assertThat(meta.get("source_object_type")).isEqualTo("thing");
        assertThat(meta.get("source_id")).isEqualTo("th_1");
        assertThat(meta.get("operation")).hasToString("UPSERT");
        assertThat(meta.get("source_updated_at")).isEqualTo(1709287200000L);
        // When Syncline received it (the syncline.received-at header), not when the normalizer ran.
        assertThat(meta.get("ingested_at")).isEqualTo(1709287200000L);
        assertThat(meta.get("event_id")).isEqualTo("snap-1");
        assertThat(meta.get("trace_id")).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(meta.get("source_event_type")).isNull();
        assertThat(GenericData.get().validate(r.getSchema(), r)).isTrue();
    }

    @Test
    void readsTheObjectInsideAnEventEnvelopeAndTheEnvelopesTimeAndId() {
        MappingContext ctx = context("""
                {"id": "evt_9", "object": "event", "type": "thing.updated", "created": 1700000100,
                 "data": {"object": {"id": "th_2", "object": "thing", "name": "x", "status": "archived"},
                          "previous_attributes": {"status": "open"}}}
                """, "syncline.event-id", "evt_9");
        CanonicalChange change = FULL.apply(ctx, FULL.eventId(ctx));
        assertThat(FULL.eventId(ctx)).isEqualTo("evt_9");
        assertThat(change.updatedAt()).isEqualTo(1_700_000_100_000L);
        assertThat(change.record().get("status")).hasToString("UNKNOWN");
        GenericRecord meta = (GenericRecord) change.record().get("metadata");
        assertThat(meta.get("source_event_type")).isEqualTo("thing.updated");
        assertThat(meta.get("event_id")).isEqualTo("evt_9");
    }

    @Test
    void aDeletedEventOrADeletedFlagIsADelete() {
        MappingContext event = context("""
                {"id": "evt_d", "object": "event", "type": "thing.deleted", "created": 1700000200,
                 "data": {"object": {"id": "th_3", "object": "thing", "name": "gone"}}}
                """);
        assertThat(FULL.apply(event, "evt_d").delete()).isTrue();
        MappingContext flag = context("""
                {"id": "th_3", "object": "thing", "name": "gone", "deleted": true}
                """, "syncline.received-at", "1700000300000");
        CanonicalChange change = FULL.apply(flag, null);
        assertThat(change.delete()).isTrue();
        assertThat(change.updatedAt()).isEqualTo(1_700_000_300_000L);
        GenericRecord meta = (GenericRecord) change.record().get("metadata");
        assertThat(meta.get("operation")).hasToString("DELETE");
        assertThat(meta.get("event_id")).as("snapshots get a stable derived id").isEqualTo("test:th_3@1700000300000");
    }

    @Test
    void veryLargeAmountsThatFit64BitsAreKeptAndLargerOnesFailTheRecord() {
        GenericRecord r = map(FULL, context("""
                {"id": "th_4", "object": "thing", "name": "n", "amount": 9223372036854775807, "currency": "jpy"}
                """, "syncline.received-at", "1700000000"));
        assertThat(((GenericRecord) r.get("price")).get("amount")).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> map(FULL, context("""
                {"id": "th_4", "object": "thing", "name": "n", "amount": 9223372036854775808, "currency": "jpy"}
                """, "syncline.received-at", "1700000000")))
                .isInstanceOf(MappingException.class)
                .hasMessage("minor-units: 9223372036854775808 does not fit in a 64-bit whole number");
        assertThatThrownBy(() -> map(FULL, context("""
                {"id": "th_4", "object": "thing", "name": "n", "amount": 19.99, "currency": "usd"}
                """, "syncline.received-at", "1700000000")))
                .isInstanceOf(MappingException.class)
                .hasMessage("minor-units: expected a whole number, got a number 19.99");
    }

    @Test
    void anUnknownCurrencyAMissingRequiredValueAndAWrongTypeFailTheRecordNamingTheField() {
        assertThatThrownBy(() -> map(FULL, context("""
                {"id": "th_5", "object": "thing", "name": "n", "amount": 100, "currency": "xyz"}
                """, "syncline.received-at", "1700000000")))
                .hasMessage("currency: text \"xyz\" is not an ISO-4217 currency code");
        CompiledMapping strict = compile(mapping("""
                  title: /name
                """));
        assertThatThrownBy(() -> map(strict, context("""
                {"id": "th_5", "object": "thing", "name": null}
                """, "syncline.received-at", "1700000000")))
                .hasMessage("title: required, but the mapping produced no value (missing or null in the source)");
        assertThatThrownBy(() -> map(strict, context("""
                {"id": "th_5", "object": "thing", "name": {"first": "a"}}
                """, "syncline.received-at", "1700000000")))
                .hasMessage("title: expected text, got an object");
        assertThatThrownBy(() -> map(FULL, context("""
                {"id": "th_5", "object": "thing", "name": "n", "count": "twelve"}
                """, "syncline.received-at", "1700000000")))
                .hasMessage("count: expected a whole number, got text \"twelve\"");
        assertThatThrownBy(() -> map(FULL, context("""
                {"id": "th_5", "object": "thing", "name": "n"}
                """)))
                .hasMessage("updated-at: the source updated-at is missing");
    }

    @Test
    void majorUnitsBecomeMinorUnitsByTheCurrencysExponent() {
        CompiledMapping m = compile(mapping("""
                  title: /name
                  price: {money: /amount, currency: /currency, from: major}
                """));
        GenericRecord usd = map(m, context("""
                {"id": "d1", "object": "thing", "name": "deal", "amount": "1234.50", "currency": "usd"}
                """, "syncline.received-at", "1700000000"));
        assertThat(((GenericRecord) usd.get("price")).get("amount")).isEqualTo(123450L);
        GenericRecord jpy = map(m, context("""
                {"id": "d2", "object": "thing", "name": "deal", "amount": 500, "currency": "JPY"}
                """, "syncline.received-at", "1700000000"));
        assertThat(((GenericRecord) jpy.get("price")).get("amount")).isEqualTo(500L);
        assertThatThrownBy(() -> map(m, context("""
                {"id": "d3", "object": "thing", "name": "deal", "amount": "12.5", "currency": "jpy"}
                """, "syncline.received-at", "1700000000")))
                .hasMessageContaining("12.5 JPY is not a whole number of minor units (0 decimals)");
    }

    @Test
    void conditionsConcatRefsAndRecordCoordinatesWork() {
        CompiledMapping m = compile(mapping("""
                  title: {concat: [$record/topic, {const: "/"}, $record/partition, {const: "@"}, $record/offset]}
                  email: {when: {in: /kind, values: [person, user]}, then: {email: /contact}, else: {const: nobody@example.com}}
                  count: {when: {not: {exists: /count}}, then: 0, else: /count}
                  tags: {each: /refs, value: {ref: $item, system: other}}
                """));
        GenericRecord r = map(m, context("""
                {"id": "c1", "object": "thing", "kind": "user", "contact": " X@Y.Z ", "refs": ["a", "b"]}
                """, "syncline.received-at", "1700000000"));
        assertThat(r.get("title")).isEqualTo("raw.test.thing/3@42");
        assertThat(r.get("email")).isEqualTo("x@y.z");
        assertThat(r.get("count")).isEqualTo(0L);
        assertThat((List<Object>) r.get("tags")).containsExactly("other:a", "other:b");
        GenericRecord other = map(m, context("""
                {"id": "c2", "object": "thing", "kind": "bot", "count": 5}
                """, "syncline.received-at", "1700000000"));
        assertThat(other.get("email")).isEqualTo("nobody@example.com");
        assertThat(other.get("count")).isEqualTo(5L);
        assertThat(other.get("tags")).asList().isEmpty();
    }

    /** find picks an element out of a list whose order the source does not promise (a Zendesk audit's events). */
    @Test
    void findTakesTheFirstElementThatMeetsItsCondition() {
        CompiledMapping m = compile(mapping("""
                  title: {coalesce: [{find: /events, where: {equals: [/type, {const: Comment}]}, value: /body}, {const: none}]}
                  count: {find: /events, where: {equals: [/type, {const: Comment}]}, value: /n}
                  email: {email: {find: /events, where: {equals: [/type, {const: Nothing}]}, value: /body}}
                  active: {find: /events, where: /flag, value: /flag}
                  properties: {map: {find: /events, where: {equals: [/type, {const: Change}]}}}
                """));
        GenericRecord r = map(m, context("""
                {"id": "f1", "object": "thing", "events": [
                  {"type": "Change", "status": "open", "n": 1},
                  {"type": "Comment", "body": "first", "n": 2},
                  {"type": "Comment", "body": "second", "n": 3, "flag": true}]}
                """, "syncline.received-at", "1700000000"));
        assertThat(r.get("title")).isEqualTo("first");
        assertThat(r.get("count")).isEqualTo(2L);
        assertThat(r.get("email")).as("no element matches").isNull();
        assertThat(r.get("active")).isEqualTo(true);
        assertThat((Map<Object, Object>) r.get("properties")).hasSize(3).containsEntry("status", "open");

        GenericRecord missing = map(m, context("""
                {"id": "f2", "object": "thing"}
                """, "syncline.received-at", "1700000000"));
        assertThat(missing.get("title")).as("no array").isEqualTo("none");
        assertThat(missing.get("count")).isNull();
        assertThatThrownBy(() -> map(m, context("""
                {"id": "f3", "object": "thing", "events": {"type": "Comment"}}
                """, "syncline.received-at", "1700000000")))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("find: expected an array, got");
    }

    @Test
    void aJavaFunctionFillsWhatTheLanguageCannotExpress() {
        CompiledMapping m = compile(mapping("""
                  title: {java: io.syncline.normalizer.mapping.ReverseText}
                  email: {java: io.syncline.normalizer.mapping.ReverseText, options: {mode: shout}}
                """));
        GenericRecord r = map(m, context("""
                {"id": "j1", "object": "thing", "name": "abc"}
                """, "syncline.received-at", "1700000000"));
        assertThat(r.get("title")).isEqualTo("cba");
        assertThat(r.get("email")).isEqualTo("ABC");
    }

    @Test
    void aMappingHashesAndMasksPersonalDataWithAKeyFromAFileReference(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path key = dir.resolve("hash.key");
        java.nio.file.Files.writeString(key, "0123456789abcdef0123456789abcdef\n");
        CompiledMapping m = compile(mapping("""
                  title: {mask: /name, keep-first: 1}
                  email: {hash: {email: /email}, key: file:%s}
                  count: {drop: true}
                """.formatted(key)));
        GenericRecord r = map(m, context("""
                {"id": "th_1", "object": "thing", "name": "Ada", "email": " Ada@Example.com", "count": 12}
                """, "syncline.received-at", "2024-03-01T10:00:00Z", "syncline.event-id", "snap-1"));

        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("0123456789abcdef0123456789abcdef"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(r.get("email")).isEqualTo(java.util.HexFormat.of().formatHex(
                mac.doFinal("ada@example.com".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(r.get("title")).isEqualTo("A**");
        assertThat(r.get("count")).isNull();
    }

    @Test
    void aHashKeyThatCannotBeReadIsAProblemAtItsLineNamingTheReferenceOnly() {
        assertThatThrownBy(() -> compile(mapping("""
                  title: /name
                  email: {hash: /email, key: env:SYNCLINE_TEST_HASH_KEY_THAT_IS_NOT_SET}
                """)))
                .hasMessageContaining("fields.email.key: secret env:SYNCLINE_TEST_HASH_KEY_THAT_IS_NOT_SET is not set:"
                        + " export SYNCLINE_TEST_HASH_KEY_THAT_IS_NOT_SET in the environment of this process");
    }
}
