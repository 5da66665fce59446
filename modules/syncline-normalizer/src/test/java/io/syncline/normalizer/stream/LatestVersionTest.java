package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;

import io.syncline.normalizer.stream.LatestVersion.Verdict;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatestVersionTest {

    private final Serde<LatestVersion> serde = LatestVersion.serde();

    @Test
    void aKeyWithoutAVersionOrANewerRecordIsEmitted() {
        assertThat(LatestVersion.judge(null, 5, "evt_1")).isEqualTo(Verdict.EMIT);
        LatestVersion v = LatestVersion.after(null, 5, "evt_1");
        assertThat(LatestVersion.judge(v, 6, "evt_1")).as("a newer version, even under a seen id").isEqualTo(Verdict.EMIT);
        assertThat(LatestVersion.judge(v, 4, "evt_0")).isEqualTo(Verdict.STALE);
        assertThat(LatestVersion.judge(v, 5, "evt_1")).isEqualTo(Verdict.DUPLICATE);
        assertThat(LatestVersion.judge(v, 5, "evt_2")).as("a full tie").isEqualTo(Verdict.TIE);
        assertThat(LatestVersion.judge(v, 5, null)).isEqualTo(Verdict.TIE);
    }

    @ParameterizedTest(name = "{0} against the latest [5; 2, 100]")
    @CsvSource({
        "'6; 0, 0', EMIT", // a newer time wins whatever its ranks
        "'4; 9, 999', STALE", // an older time loses whatever its ranks
        "'5; 3, 0', EMIT", // the same time: the first rank decides
        "'5; 1, 999', STALE",
        "'5; 2, 101', EMIT", // the same first rank: the second decides
        "'5; 2, 99', STALE",
        "'5; 2, 100', TIE"})
    void versionsOfTheSameTimeAreOrderedByTheirRanksInTurn(String version, Verdict expected) {
        LatestVersion latest = LatestVersion.after(null, 5, new long[] {2, 100}, "evt_latest");
        String[] parts = version.split(";");
        long[] ranks = java.util.Arrays.stream(parts[1].split(",")).map(String::trim).mapToLong(Long::parseLong)
                .toArray();
        assertThat(LatestVersion.judge(latest, Long.parseLong(parts[0].trim()), ranks, "evt_other"))
                .isEqualTo(expected);
    }

    @Test
    void aVersionWithoutTheRanksOfANewerMappingCountsAsOlderInThem() {
        LatestVersion before = LatestVersion.after(null, 5, "evt_1"); // emitted before the mapping declared ranks
        assertThat(LatestVersion.judge(before, 5, new long[] {0}, "evt_2")).isEqualTo(Verdict.EMIT);
        assertThat(LatestVersion.judge(LatestVersion.after(null, 5, new long[] {0}, "evt_2"), 5, "evt_1"))
                .isEqualTo(Verdict.STALE);
    }

    @Test
    void idsOfTheSameTimeAccumulateAndANewerTimeStartsOver() {
        LatestVersion v = LatestVersion.after(LatestVersion.after(null, 5, "a"), 5, "b");
        assertThat(v.eventIds()).containsExactly("a", "b");
        LatestVersion newer = LatestVersion.after(v, 9, "c");
        assertThat(newer).isEqualTo(new LatestVersion(9, List.of("c")));
        assertThat(LatestVersion.after(newer, 9, null).eventIds()).containsExactly("c");
    }

    @Test
    void keepsTheNewestIdsUpToTheCap() {
        LatestVersion v = null;
        for (int i = 0; i < LatestVersion.MAX_EVENT_IDS + 3; i++) {
            v = LatestVersion.after(v, 7, "evt_" + i);
        }
        assertThat(v.eventIds()).hasSize(LatestVersion.MAX_EVENT_IDS).startsWith("evt_3")
                .endsWith("evt_" + (LatestVersion.MAX_EVENT_IDS + 2));
        assertThat(LatestVersion.judge(v, 7, "evt_0")).as("forgotten past the cap").isEqualTo(Verdict.TIE);
    }

    @Test
    void aVeryLongIdIsKeptAsItsHashAndStillRecognised() {
        String longId = "x".repeat(10_000);
        LatestVersion v = LatestVersion.after(null, 1, longId);
        assertThat(v.eventIds()).singleElement().asString().startsWith("sha256:").hasSize(71);
        assertThat(LatestVersion.judge(serde.deserializer().deserialize("t", serde.serializer().serialize("t", v)), 1,
                longId)).isEqualTo(Verdict.DUPLICATE);
    }

    @Test
    void roundTripsThroughItsSerde() {
        LatestVersion v = new LatestVersion(1_717_171_718_000L, new long[] {3, Long.MIN_VALUE, 4200},
                IntStream.range(0, 5).mapToObj(i -> "évt_ü_" + i).toList());
        byte[] bytes = serde.serializer().serialize("t", v);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(v);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t",
                new LatestVersion(-3, List.of())))).isEqualTo(new LatestVersion(-3, List.of()));
        assertThat(serde.serializer().serialize("t", null)).isNull();
        // An entry of the earlier store (8 bytes of time, no format byte) is refused, not misread.
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", java.nio.ByteBuffer.allocate(8)
                .putLong(1_717_171_718_000L).array())).isInstanceOf(
                        org.apache.kafka.common.errors.SerializationException.class)
                .hasMessageContaining("format 1");
    }
}
