package io.syncline.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mapping language compiled for a JSON target, as the sinks use it: every transform, and what it refuses. */
class JsonTargetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    /** A canonical customer as the sinks see it: the JSON view of the Connect record. */
    private static final String CUSTOMER = """
            {"id": "stripe:cus_1", "name": "  Jane van Dyke ", "email": " Jane@Example.COM ", "phone": null,
             "address": {"city": "Köln", "country": "de"}, "tags": ["a", "b"],
             "amount": {"amount": 1999, "currency": "USD"}, "yen": {"amount": 500, "currency": "jpy"},
             "created_at": "2024-03-01T09:00:00Z", "count": 12, "ratio": 1.5, "status": "succeeded",
             "metadata": {"source_updated_at": "2024-03-01T09:00:00.250Z", "event_id": "evt_1"},
             "properties": {"plan": "gold", "seats": 3}}
            """;

    private final List<String> problems = new ArrayList<>();

    private ExprCompiler compiler() {
        return new ExprCompiler((key, message) -> problems.add(key + ": " + message));
    }

    private static MappingContext context(String json) throws Exception {
        Map<String, String> headers = Map.of("x-tenant", "acme");
        return new MappingContext().reset(JSON.readTree(json), null, headers::get,
                "stripe:cus_1".getBytes(StandardCharsets.UTF_8), "canonical.finance.customer.v1", 2, 7L,
                1_700_000_000_000L, 1_800_000_000_000L);
    }

    private JsonNode eval(String expression) throws Exception {
        Expr e = compiler().json(YAML.readTree(expression), "value", "value");
        assertThat(problems).as("compile problems").isEmpty();
        return (JsonNode) e.eval(context(CUSTOMER));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/id | \"stripe:cus_1\"",
            "/address/city | \"Köln\"",
            "/tags/1 | \"b\"",
            "/count | 12",
            "$record/key | \"stripe:cus_1\"",
            "$record/topic | \"canonical.finance.customer.v1\"",
            "$record/partition | 2",
            "$record/offset | 7",
            "$record/timestamp | \"2023-11-14T22:13:20Z\"",
            "$header/x-tenant | \"acme\"",
            "'{const: syncline}' | \"syncline\"",
            "'{email: /email}' | \"jane@example.com\"",
            "'{trim: /name}' | \"Jane van Dyke\"",
            "'{lower: /address/country}' | \"de\"",
            "'{upper: /address/country}' | \"DE\"",
            "'{given-name: /name}' | \"Jane\"",
            "'{family-name: /name}' | \"van Dyke\"",
            "'{text: /count}' | \"12\"",
            "'{text: /address}' | \"{\\\"city\\\":\\\"Köln\\\",\\\"country\\\":\\\"de\\\"}\"",
            "'{date: /created_at}' | \"2024-03-01\"",
            "'{datetime: /metadata/source_updated_at}' | \"2024-03-01T09:00:00.250Z\"",
            "'{epoch-millis: /created_at}' | 1709283600000",
            "'{epoch-millis: {timestamp: /count, from: unix-seconds}}' | 12000",
            "'{timestamp: /created_at, from: iso-8601}' | \"2024-03-01T09:00:00Z\"",
            "'{major-units: /amount}' | 19.99",
            "'{major-units: /yen}' | 500",
            "'{major-units: /amount/amount, currency: /amount/currency}' | 19.99",
            "'{minor-units: /ratio, from: major, currency: {const: EUR}}' | 150",
            "'{currency: /yen/currency}' | \"JPY\"",
            "'{concat: [{const: \"id-\"}, /count]}' | \"id-12\"",
            "'{ref: /count, system: shop}' | \"shop:12\"",
            "'{coalesce: [/phone, /email]}' | \" Jane@Example.COM \"",
            "'{when: {equals: [/status, {const: succeeded}]}, then: {const: paid}, else: /status}' | \"paid\"",
            "'{exists: /phone}' | false",
            "'{enum: /status, values: {succeeded: Paid}, default: Other}' | \"Paid\"",
            "'{money: /amount/amount, currency: /amount/currency}' | {\"amount\":1999,\"currency\":\"USD\"}",
            "'{record: {c: /city, n: /missing}, from: /address}' | {\"c\":\"Köln\"}",
            "'{each: /tags, value: {upper: $item}}' | [\"A\",\"B\"]",
            "'{map: /properties}' | {\"plan\":\"gold\",\"seats\":3}"})
    void everyTransformProducesJson(String expression, String json) throws Exception {
        // As text: Jackson's number nodes of one value but different widths (int, long, decimal) are not equal.
        assertThat(eval(expression)).hasToString(JSON.readTree(json).toString());
    }

    @Test
    void missingValuesAreNullAndObjectsLeaveThemOutUnlessAskedToKeepThem() throws Exception {
        assertThat(eval("/phone")).isNull();
        assertThat(eval("/nothing/here")).isNull();
        assertThat(eval("{family-name: {const: Cher}}")).isNull();
        JsonNode fields = YAML.readTree("{email: {email: /email}, phone: /phone}");
        Expr omit = compiler().jsonObject(fields, "", "");
        Expr keep = compiler().omitNullMembers(false).jsonObject(fields, "", "");
        assertThat(omit.eval(context(CUSTOMER))).hasToString("{\"email\":\"jane@example.com\"}");
        assertThat(keep.eval(context(CUSTOMER))).hasToString("{\"email\":\"jane@example.com\",\"phone\":null}");
    }

    @Test
    void whatCanOnlyFillAvroFieldsOrNeedsAMappingSystemIsRefusedAtCompileTime() throws Exception {
        ExprCompiler c = compiler();
        c.jsonObject(YAML.readTree("""
                {a: {java: com.example.Fn}, b: {ref: /id}, c: {shout: /name}, d: name, e: {lower: /name, x: 1}}
                """), "body.mapping", "");
        assertThat(problems).containsExactly(
                "body.mapping.a: 'java' fills fields of canonical Avro records only; it cannot build a JSON value",
                "body.mapping.b: ref needs system: <name> here, e.g. {ref: /customer_id, system: stripe}",
                "body.mapping.c: unknown transform {shout}; expected one of " + String.join(", ", Transforms.names()),
                "body.mapping.d: \"name\" is neither a source path nor a constant: write /name for a field of the"
                        + " source object, or {const: name} for a constant",
                "body.mapping.e.x: unknown option \"x\" for lower (it takes none)");
        assertThat(c.problemCount()).isEqualTo(5);
    }

    @Test
    void badValuesFailTheRecordNamingTheMember() throws Exception {
        Expr e = compiler().jsonObject(YAML.readTree("{price: {major-units: /status}, when: {date: /status}}"), "",
                "");
        assertThatThrownBy(() -> e.eval(context(CUSTOMER))).isInstanceOf(MappingException.class)
                .hasMessage("price: major-units: expected a money object (amount in minor units and currency) or"
                        + " currency: <expr>, got text \"succeeded\"");
        Expr date = compiler().json(YAML.readTree("{date: /status}"), "d", "d");
        assertThatThrownBy(() -> date.eval(context(CUSTOMER))).isInstanceOf(MappingException.class)
                .hasMessageContaining("date: expected an ISO-8601 timestamp");
    }

    @Test
    void aNestedObjectWithoutAnyValueIsLeftOutWhereNullsAre() throws Exception {
        JsonNode fields = YAML.readTree("{name: {record: {first: /nothing, last: /missing}}, id: /id}");
        assertThat(compiler().jsonObject(fields, "", "").eval(context(CUSTOMER)))
                .hasToString("{\"id\":\"stripe:cus_1\"}");
        assertThat(compiler().omitNullMembers(false).jsonObject(fields, "", "").eval(context(CUSTOMER)))
                .hasToString("{\"name\":{\"first\":null,\"last\":null},\"id\":\"stripe:cus_1\"}");
        Expr nested = compiler().jsonObject(YAML.readTree("{a: {record: {b: {date: /status}}}}"), "", "");
        assertThatThrownBy(() -> nested.eval(context(CUSTOMER))).hasMessageStartingWith("a.b: date: expected an"
                + " ISO-8601 timestamp");
    }

    @Test
    void thePathsReadAreRecordedForAPrunedView() throws Exception {
        ExprCompiler c = compiler();
        c.jsonObject(YAML.readTree("{a: /address/city, b: {each: /tags, value: $item}, k: $record/key}"), "", "");
        assertThat(c.objectPaths().child("address").child("city").whole()).isTrue();
        assertThat(c.objectPaths().child("address").child("country")).isNull();
        assertThat(c.objectPaths().child("tags").anyElement()).isNotNull();
        assertThat(c.objectPaths().child("metadata")).isNull();
    }

    @Test
    void mapWithKeysCopiesOnlyTheListedMembersAndReadsOnlyThem() throws Exception {
        ExprCompiler c = compiler();
        Expr e = c.json(YAML.readTree("{map: /properties, keys: [seats, missing]}"), "value", "value");
        assertThat(problems).isEmpty();
        assertThat(e.eval(context(CUSTOMER))).hasToString("{\"seats\":3}");
        var properties = c.objectPaths().child("properties");
        assertThat(properties.whole()).as("the parser keeps only the listed members").isFalse();
        assertThat(properties.child("seats").whole()).isTrue();
        assertThat(properties.child("plan")).isNull();
    }

    @Test
    void envelopeFieldsReadWhatTheRecordsEnvelopeDeclares() throws Exception {
        MappingContext ctx = context(CUSTOMER).envelope(new MappingContext.Envelope() {
            public String name() {
                return "stripe-event";
            }

            public String type() {
                return "charge.succeeded";
            }

            public String id() {
                return "evt_9";
            }

            public Long time() {
                return 1_717_171_718_000L;
            }

            public String objectType() {
                return "charge";
            }

            public String objectId() {
                return "ch_1";
            }
        });
        for (String[] c : new String[][] {{"$envelope/type", "\"charge.succeeded\""}, {"$envelope/id", "\"evt_9\""},
                {"$envelope/time", "\"2024-05-31T16:08:38Z\""}, {"$envelope/object-id", "\"ch_1\""}}) {
            assertThat(compiler().json(YAML.readTree(c[0]), "v", "v").eval(ctx)).as(c[0]).hasToString(c[1]);
        }
        compiler().json(YAML.readTree("$envelope/when"), "v", "v");
        assertThat(problems).singleElement().asString().startsWith("v: unknown envelope field \"when\"");
    }
}
