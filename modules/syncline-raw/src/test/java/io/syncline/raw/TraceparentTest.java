package io.syncline.raw;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceparentTest {

    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aValidHeaderIsReadFieldByField() {
        Traceparent t = Traceparent.parse(VALID).orElseThrow();
        assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(t.parentId()).isEqualTo("00f067aa0ba902b7");
        assertThat(t.flags()).isEqualTo("01");
        assertThat(t.format()).isEqualTo(VALID);
    }

    @Test
    void aLaterVersionIsReadForItsFirstFourFieldsAndPropagatedAsVersion00() {
        assertThat(Traceparent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-adds"))
                .hasValueSatisfying(t -> assertThat(t.format()).isEqualTo(VALID));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
    void anInvalidHeaderIsNotATraceparent(String header) {
        assertThat(Traceparent.parse(header)).isEmpty();
    }

    @Test
    void aChildKeepsTheTraceAndFlagsWithItsOwnParentId() {
        Traceparent parent = Traceparent.parse(VALID).orElseThrow();
        Traceparent child = parent.child();
        assertThat(child.traceId()).isEqualTo(parent.traceId());
        assertThat(child.flags()).isEqualTo("01");
        assertThat(child.parentId()).isNotEqualTo(parent.parentId()).matches("[0-9a-f]{16}");
        assertThat(Traceparent.parse(child.format())).contains(child);
    }

    @Test
    void aRootIsNotSampled() {
        Traceparent root = Traceparent.root("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(root.flags()).isEqualTo("00");
        assertThat(Traceparent.parse(root.format())).contains(root);
    }
}
