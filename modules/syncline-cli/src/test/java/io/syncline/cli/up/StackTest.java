package io.syncline.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.syncline.config.EmbeddedConfig;
import io.syncline.config.SynclineConfig;
import io.syncline.ops.Health;
import org.junit.jupiter.api.Test;

/** The order guarantees of {@link Stack}, with components that only record what happens to them. */
class StackTest {

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final StackContext context = new StackContext(SynclineConfig.defaults(), EmbeddedConfig.defaults(),
            Path.of("data"), List.of());

    @Test
    void startsInOrderPublishingEndpointsAndStopsInReverseOrder() {
        Stack stack = new Stack(List.of(new Recording("kafka"), new Recording("registry"), new Recording("connect")),
                context);
        stack.start(new Stack.Listener() { });
        assertThat(context.endpoints()).containsExactly(
                java.util.Map.entry("kafka", "kafka-address"), java.util.Map.entry("registry", "registry-address"),
                java.util.Map.entry("connect", "connect-address"));
        stack.stop(new Stack.Listener() { });
        stack.stop(new Stack.Listener() { });
        assertThat(events).containsExactly("preflight kafka", "preflight registry", "preflight connect",
                "start kafka", "start registry", "start connect", "stop connect", "stop registry", "stop kafka");
    }

    @Test
    void aPreflightFailureStartsNothing() {
        Recording registry = new Recording("registry");
        registry.failPreflight = true;
        Stack stack = new Stack(List.of(new Recording("kafka"), registry), context);
        assertThatThrownBy(() -> stack.start(new Stack.Listener() { })).hasMessage("registry: port taken");
        assertThat(events).containsExactly("preflight kafka", "preflight registry");
    }

    @Test
    void aFailedStartStopsWhatStartedInReverseOrderAndNamesTheComponent() {
        Recording connect = new Recording("connect");
        connect.failStart = true;
        List<String> heard = new ArrayList<>();
        Stack stack = new Stack(List.of(new Recording("kafka"), new Recording("registry"), connect), context);
        assertThatThrownBy(() -> stack.start(new Stack.Listener() {
            @Override
            public void startFailed(Component component, Exception error) {
                heard.add("failed " + component.name());
            }
        })).isInstanceOf(Stack.ComponentStartException.class).hasMessage("starting connect: connect: broken");
        assertThat(events).endsWith("start connect", "stop registry", "stop kafka");
        assertThat(heard).containsExactly("failed connect");
        stack.stop(new Stack.Listener() { });
        assertThat(events).endsWith("stop registry", "stop kafka");
    }

    @Test
    void aStopWhileStartingWaitsForTheStartingComponentThenStopsEverythingAndStartsNoMore() throws Exception {
        CountDownLatch kafkaStarting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recording kafka = new Recording("kafka") {
            @Override
            public void start(StackContext context) throws Exception {
                kafkaStarting.countDown();
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                super.start(context);
            }
        };
        Stack stack = new Stack(List.of(kafka, new Recording("connect")), context);
        CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> stack.start(new Stack.Listener() { }));
        assertThat(kafkaStarting.await(30, TimeUnit.SECONDS)).isTrue();
        Thread stopper = new Thread(() -> stack.stop(new Stack.Listener() { }), "stopper");
        stopper.start();
        // Ctrl-C arrived while Kafka is still starting: the stop waits for that start to finish.
        await().atMost(Duration.ofSeconds(30)).until(() -> stopper.getState() == Thread.State.BLOCKED);
        release.countDown();
        stopper.join(30_000);
        assertThat(stopper.isAlive()).isFalse();
        assertThatThrownBy(() -> starting.get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(Stack.StoppedWhileStartingException.class);
        assertThat(events).containsExactly("preflight kafka", "preflight connect", "start kafka", "stop kafka");
    }

    /** A component that records its lifecycle in {@link #events}. */
    private class Recording implements Component {
        private final String name;
        boolean failPreflight;
        boolean failStart;

        Recording(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void preflight(StackContext context) {
            events.add("preflight " + name);
            if (failPreflight) {
                throw new IllegalStateException(name + ": port taken");
            }
        }

        @Override
        public void start(StackContext context) throws Exception {
            events.add("start " + name);
            if (failStart) {
                throw new IllegalStateException(name + ": broken");
            }
            context.publish(name, name + "-address");
        }

        @Override
        public void stop() {
            events.add("stop " + name);
        }

        @Override
        public String address() {
            return name + "-address";
        }

        @Override
        public Health health() {
            return Health.up("");
        }
    }
}
