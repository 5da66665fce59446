package io.syncline.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The failure table, row by row. */
class HttpFailureClassifierTest {

    @ParameterizedTest(name = "{0} -> {1} (config) / {2} (record)")
    @CsvSource({
        "301, PERMANENT_CONFIG, PERMANENT_CONFIG",
        "302, PERMANENT_CONFIG, PERMANENT_CONFIG",
        "400, PERMANENT_CONFIG, PERMANENT_RECORD",
        "401, AUTH, AUTH",
        "403, AUTH, AUTH",
        "404, PERMANENT_CONFIG, PERMANENT_RECORD",
        "408, RETRY, RETRY",
        "409, RETRY, RETRY",
        "410, PERMANENT_CONFIG, PERMANENT_RECORD",
        "413, PERMANENT_CONFIG, PERMANENT_RECORD",
        "422, PERMANENT_CONFIG, PERMANENT_RECORD",
        "425, RETRY, RETRY",
        "429, RETRY, RETRY",
        "500, RETRY, RETRY",
        "501, PERMANENT_CONFIG, PERMANENT_CONFIG",
        "502, RETRY, RETRY",
        "503, RETRY, RETRY",
        "504, RETRY, RETRY",
        "505, PERMANENT_CONFIG, PERMANENT_CONFIG",
        "599, RETRY, RETRY",
    })
    void classifiesStatuses(int status, FailureKind config, FailureKind record) {
        assertThat(HttpFailureClassifier.classify(status, CallLevel.CONFIG)).contains(config);
        assertThat(HttpFailureClassifier.classify(status, CallLevel.RECORD)).contains(record);
    }

    @Test
    void treatsEvery2xxAsSuccess() {
        for (int status = 200; status < 300; status++) {
            assertThat(HttpFailureClassifier.classify(status)).isEmpty();
        }
    }

    @Test
    void classifiesTransportExceptionsThroughTheirCauseChain() {
        assertThat(HttpFailureClassifier.classify(new ExecutionException(new TimeoutException("Total timeout")), false))
                .isEqualTo(FailureRule.TIMEOUT);
        assertThat(HttpFailureClassifier.classify(new SocketTimeoutException("Connect Timeout"), false))
                .isEqualTo(FailureRule.CONNECT_FAILED);
        assertThat(HttpFailureClassifier.classify(new ConnectException("Connection refused"), false))
                .isEqualTo(FailureRule.CONNECT_FAILED);
        assertThat(HttpFailureClassifier.classify(new IOException("Connection reset by peer"), false))
                .isEqualTo(FailureRule.CONNECTION_LOST);
        assertThat(HttpFailureClassifier.classify(new EOFException(), true))
                .isEqualTo(FailureRule.TRUNCATED_BODY);
        assertThat(HttpFailureClassifier.classify(new UnknownHostException("nope.example"), false))
                .isEqualTo(FailureRule.UNKNOWN_HOST);
        assertThat(HttpFailureClassifier.classify(new SSLHandshakeException("PKIX path building failed"), false))
                .isEqualTo(FailureRule.TLS);
        assertThat(HttpFailureClassifier.classify(
                new IOException(new SsrfRefusedException("x:443", "is internal", "allow it")), false))
                .isEqualTo(FailureRule.SSRF_REFUSED);
        assertThat(HttpFailureClassifier.classify(new IllegalArgumentException("bad header"), false))
                .isEqualTo(FailureRule.INVALID_REQUEST);
    }

    @Test
    void unknownHostIsAConfigErrorOnlyOnConfigLevelCalls() {
        assertThat(FailureRule.UNKNOWN_HOST.kindFor(CallLevel.CONFIG)).isEqualTo(FailureKind.PERMANENT_CONFIG);
        assertThat(FailureRule.UNKNOWN_HOST.kindFor(CallLevel.RECORD)).isEqualTo(FailureKind.RETRY);
    }
}
