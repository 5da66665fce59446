package io.syncline.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import io.syncline.kafka.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A console whose cluster is nowhere: every page says which service does not answer and what to do. */
class BrokenClusterIT {

    static ConsoleServer console;
    static ConsoleClient browser;
    static String kafka;

    @BeforeAll
    static void startAgainstNothing() {
        kafka = "127.0.0.1:" + FreePorts.pick();
        console = ConsoleServer.start(ConsoleSettings.of(kafka, "http://127.0.0.1:" + FreePorts.pick(),
                "http://127.0.0.1:" + FreePorts.pick()).withPort(0));
        browser = new ConsoleClient(console.url());
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/pipeline", "/connectors", "/dead-letters", "/schemas", "/topics", "/config"})
    void everyPageSaysWhatDoesNotAnswerAndWhatToDoWithoutAStackTrace(String path) {
        HttpResponse<String> page = browser.get(path);
        assertThat(page.statusCode()).isIn(200, 502);
        assertThat(page.body()).contains("Kafka at " + kafka + " does not answer")
                .contains("./syncline up").contains("--bootstrap-servers")
                .doesNotContain("\tat ").doesNotContain("at io.syncline").doesNotContain("at org.apache");
    }
}
