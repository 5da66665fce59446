package io.syncline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WebhookHandlerTest {

    @ParameterizedTest(name = "{0} bytes, Content-Length {1}, limit {2} → {3}")
    @CsvSource({
            "100,    100,    100,    100",
            "100,    -1,     100,    100",
            "40000,  -1,     50000,  40000",
            "101,    -1,     100,    -1"})
    void bodiesAreReadUpToTheLimitAndNeverBeyond(int sent, long declared, int limit, int expectedLength)
            throws IOException {
        byte[] body = WebhookHandler.readBody(new ByteArrayInputStream(new byte[sent]), declared, limit);
        if (expectedLength < 0) {
            assertThat(body).as("over the limit").isNull();
        } else {
            assertThat(body).hasSize(expectedLength);
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthIsAnError() {
        assertThatThrownBy(() -> WebhookHandler.readBody(new ByteArrayInputStream(new byte[10]), 20, 100))
                .isInstanceOf(IOException.class).hasMessage("body ended after 10 of 20 bytes");
    }
}
