package io.syncline.delivery.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.delivery.testing.Canonical;
import io.syncline.mapping.MappingException;
import io.syncline.schemas.finance.PaymentStatus;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The sinks' first mapping syntax (target=source|transform entries, dotted paths), still read: each case as before,
 * now converted to the mapping language and evaluated by it.
 */
class LegacyMappingTest {

    private static final Canonical CANONICAL = new Canonical("mock://json-mapping-test");
    private static final Instant T = Instant.parse("2024-05-01T12:30:00Z");

    private static SinkRecord customer(String name) {
        return CANONICAL.sinkRecord(Canonical.CUSTOMER_TOPIC, 2, 41, "stripe:cus_1",
                Canonical.customer("cus_1", "Ada@Example.COM", name, "evt_1", T));
    }

    private static SinkRecord payment(long amount, String currency) {
        return CANONICAL.sinkRecord(Canonical.PAYMENT_TOPIC, 0, 7, "stripe:ch_1",
                Canonical.payment("ch_1", "cus_1", amount, currency, PaymentStatus.SUCCEEDED, "evt_9", T));
    }

    @Test
    void mapsFieldsNestedPathsLiteralsAndRecordAttributesWithTransforms() {
        JsonNode json = Compiled.apply("email=email|lower,name.first=name|given_name,name.last=name|family_name,"
                + "source='syncline',event=metadata.event_id,id=$key,topic=$topic,offset=$offset,"
                + "day=metadata.source_updated_at|date,at=metadata.source_updated_at,"
                + "ms=metadata.source_updated_at|epoch_millis,nothing=description", true, customer("Jane van Dyke"));

        assertThat(json.toString()).isEqualTo("{\"email\":\"ada@example.com\",\"name\":{\"first\":\"Jane\","
                + "\"last\":\"van Dyke\"},\"source\":\"syncline\",\"event\":\"evt_1\",\"id\":\"stripe:cus_1\","
                + "\"topic\":\"canonical.finance.customer.v1\",\"offset\":41,\"day\":\"2024-05-01\","
                + "\"at\":\"2024-05-01T12:30:00Z\",\"ms\":1714566600000}");
    }

    @Test
    void keepsNullsWhenAskedTo() {
        JsonNode json = Compiled.apply("d=description,last=name|family_name", false, customer("Cher"));
        assertThat(json.toString()).isEqualTo("{\"d\":null,\"last\":null}");
    }

    @Test
    void anEmptyMappingSendsTheWholeRecordWithSnakeCaseFieldsAndIsoTimestamps() {
        JsonNode json = Compiled.apply("", true, payment(1999, "USD"));

        assertThat(json.get("id").asText()).isEqualTo("stripe:ch_1");
        assertThat(json.get("customer_id").asText()).isEqualTo("stripe:cus_1");
        assertThat(json.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(json.get("amount").toString()).isEqualTo("{\"amount\":1999,\"currency\":\"USD\"}");
        assertThat(json.get("metadata").get("source_updated_at").asText()).isEqualTo("2024-05-01T12:30:00Z");
        assertThat(json.get("metadata").get("operation").asText()).isEqualTo("UPSERT");
    }

    @Test
    void moneyBecomesADecimalInMajorUnitsPerTheCurrency() {
        String mapping = "amount=amount|money,text=amount|money|string";
        assertThat(Compiled.apply(mapping, true, payment(1999, "USD")).toString())
                .isEqualTo("{\"amount\":19.99,\"text\":\"19.99\"}");
        assertThat(Compiled.apply(mapping, true, payment(500, "JPY")).toString())
                .isEqualTo("{\"amount\":500,\"text\":\"500\"}");
        assertThat(Compiled.apply(mapping, true, payment(1000, "BHD")).get("amount").decimalValue())
                .isEqualByComparingTo("1.000");
    }

    @Test
    void aRecordTheMappingCannotConvertFailsWithTheEntryAndTheReason() {
        assertThatThrownBy(() -> Compiled.apply("amount=amount|money", true, payment(1, "XYZ")))
                .isInstanceOf(MappingException.class)
                .hasMessage("amount: currency: text \"XYZ\" is not an ISO-4217 currency code");
        assertThatThrownBy(() -> Compiled.apply("d=email|date", true, customer("A")))
                .isInstanceOf(MappingException.class)
                .hasMessage("d: date: expected an ISO-8601 timestamp with a zone offset (e.g. 2024-05-01T12:00:00Z),"
                        + " got text \"Ada@Example.COM\"");
    }

    @Test
    void badEntriesAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> LegacyMapping.entries("email"))
                .hasMessage("mapping entry 'email' is not target=source (expected e.g. email=email|lower or "
                        + "source='stripe')");
        assertThatThrownBy(() -> LegacyMapping.entries("email=email|shout"))
                .hasMessage("mapping entry 'email=email|shout': unknown transform 'shout' (expected one of lower, "
                        + "upper, trim, given_name, family_name, date, datetime, epoch_millis, money, string)");
        assertThatThrownBy(() -> LegacyMapping.entries("a=email,a.b=name"))
                .hasMessage("mapping entry 'a.b=name' writes inside 'a', which another entry sets to a value");
        assertThatThrownBy(() -> LegacyMapping.entries("a=email,a=name"))
                .hasMessage("mapping entry 'a=name' sets 'a' a second time");
        assertThatThrownBy(() -> LegacyMapping.entries("a=$id"))
                .hasMessage("mapping entry 'a=$id': '$id' is not a record attribute (expected one of $key, $topic, "
                        + "$partition, $offset)");
        assertThatThrownBy(() -> LegacyMapping.entries("a=meta..id"))
                .hasMessage("mapping entry 'a=meta..id': 'meta..id' is not a field path (expected names joined by "
                        + "dots, e.g. metadata.event_id)");
    }

    @Test
    void eachOldFormIsConvertedToTheMappingLanguageAndReadsBackAsTheSameExpression() throws Exception {
        var entries = LegacyMapping.entries("email=email|lower,name.first=name|given_name,name.last=name|family_name,"
                + "amount=amount|money|string,id=$key,source='syncline',flag='true',ms=created_at|epoch_millis");
        String flow = LegacyMapping.flow(entries);
        assertThat(flow).isEqualTo("{email: {lower: /email}, name: {record: {first: {given-name: /name}, last:"
                + " {family-name: /name}}}, amount: {text: {major-units: /amount}}, id: $record/key, source: {const:"
                + " syncline}, flag: {const: 'true'}, ms: {epoch-millis: /created_at}}");
        // What the warning tells users to write is exactly what the old form compiles to.
        assertThat(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(flow)).isEqualTo(entries);
        assertThat(LegacyMapping.path("metadata.source_id")).isEqualTo("/metadata/source_id");
        assertThat(LegacyMapping.path("a/b.c~d")).isEqualTo("/a~1b/c~0d");
        assertThat(LegacyMapping.path("$offset")).isEqualTo("$record/offset");
        assertThat(LegacyMapping.isExpression("metadata.event_id")).isFalse();
        assertThat(LegacyMapping.isExpression("$key")).isFalse();
        assertThat(LegacyMapping.isExpression("/metadata/event_id")).isTrue();
        assertThat(LegacyMapping.isExpression("{concat: [/a, /b]}")).isTrue();
    }

    @Test
    void eachDeprecatedValueIsLoggedOnceWithTheExpressionToWriteInstead() {
        String logger = LegacyMapping.class.getName();
        StringWriter log = new StringWriter();
        LoggerFactory.getILoggerFactory(); // bind SLF4J before the capture is set up
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        WriterAppender appender = WriterAppender.newBuilder().setName("legacy-capture").setTarget(log)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %msg%n").build()).build();
        appender.start();
        config.addAppender(appender);
        Configurator.setLevel(logger, Level.WARN);
        LoggerConfig loggerConfig = config.getLoggerConfig(logger);
        loggerConfig.setAdditive(false);
        loggerConfig.addAppender(appender, Level.WARN, null);
        context.updateLoggers();
        try {
            // Unique values, so that other tests in this JVM cannot have warned about them already.
            String unique = "u" + System.nanoTime();
            String body = unique + "=metadata.event_id|lower";
            for (int i = 0; i < 3; i++) {
                Map<String, List<String>> problems = new LinkedHashMap<>();
                SinkMappings m = new SinkMappings(problems);
                m.object("body.mapping", body, true, true);
                m.value("delivery.ordering.key", unique + ".id");
                m.template("http.url", "https://api.example.com/v1/{" + unique + ".source_id}");
                assertThat(problems).isEmpty();
            }
            String text = log.toString();
            assertThat(text).containsOnlyOnce("WARN body.mapping: '" + body + "' is written in the deprecated dotted"
                    + " form of the sinks' first mapping syntax; it is read as {" + unique + ": {lower:"
                    + " /metadata/event_id}} (see docs/mappings.md), write that instead");
            assertThat(text).containsOnlyOnce("WARN delivery.ordering.key: '" + unique + ".id' is written in the"
                    + " deprecated dotted form of the sinks' first mapping syntax; it is read as /" + unique + "/id");
            assertThat(text).containsOnlyOnce("WARN http.url: '{" + unique + ".source_id}' is written in the"
                    + " deprecated dotted form of the sinks' first mapping syntax; it is read as {/" + unique
                    + "/source_id}");
        } finally {
            loggerConfig.removeAppender(appender.getName());
            Configurator.setLevel(logger, Level.ERROR);
            appender.stop();
            context.updateLoggers();
        }
    }
}
