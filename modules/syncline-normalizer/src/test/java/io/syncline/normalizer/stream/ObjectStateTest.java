package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The object store's entries survive their changelog: every part round-trips, a corrupt entry says so. */
class ObjectStateTest {

    @Test
    void everyPartRoundTrips() {
        ObjectState s = new ObjectState("{\"id\":\"51\"}".getBytes(StandardCharsets.UTF_8), 1_000L, Long.MIN_VALUE,
                List.of(new ObjectState.Patch("email", "\"zoë@example.com\"", 2_000L, "1001"),
                        new ObjectState.Patch("phone", null, 3_000L, null)), new byte[] {1, 2, 3});
        byte[] bytes = ObjectState.serde().serializer().serialize("t", s);
        ObjectState back = ObjectState.serde().deserializer().deserialize("t", bytes);

        assertThat(new String(back.base(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"51\"}");
        assertThat(back.baseTime()).isEqualTo(1_000L);
        assertThat(back.deleted()).isFalse();
        assertThat(back.patches()).isEqualTo(s.patches());
        assertThat(back.digest()).containsExactly(1, 2, 3);
        assertThat(back.versionTime()).isEqualTo(3_000L);
    }

    @Test
    void aDeletedObjectWithoutBaseOrDigestRoundTrips() {
        ObjectState s = new ObjectState(null, Long.MIN_VALUE, 5_000L, List.of(), null);
        ObjectState back = ObjectState.serde().deserializer().deserialize("t",
                ObjectState.serde().serializer().serialize("t", s));
        assertThat(back.deleted()).isTrue();
        assertThat(back.deletedAt()).isEqualTo(5_000L);
        assertThat(back.hasBase()).isFalse();
        assertThat(back.digest()).isNull();
    }

    @Test
    void aCorruptEntryIsASerializationErrorNamingItsSize() {
        assertThatThrownBy(() -> ObjectState.serde().deserializer().deserialize("t", new byte[] {1, 0, 0}))
                .isInstanceOf(SerializationException.class).hasMessageStartingWith("an object-state entry of 3 bytes");
        assertThatThrownBy(() -> ObjectState.serde().deserializer().deserialize("t", new byte[] {9}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown object-state layout 9");
    }
}
