package io.syncline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void picksABindablePortBelowTheEphemeralRangeWhereOutgoingConnectionsCannotTakeIt() throws Exception {
        int ephemeralLow = FreePorts.ephemeralRangeLow();
        assumeTrue(ephemeralLow > FreePorts.LOWEST + 1_000, "no ephemeral port range readable here (not Linux)");
        for (int i = 0; i < 20; i++) {
            int port = FreePorts.pick();
            assertThat(port).isBetween(FreePorts.LOWEST, ephemeralLow - 1);
            try (ServerSocket socket = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
