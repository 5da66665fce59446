package io.syncline.sandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FormParamsTest {

    @Test
    void readsPlainNestedAndEncodedParameters() {
        Map<String, Object> p = FormParams.parse("email=a%40b.example&metadata[plan]=pro&metadata[seats]=3"
                + "&address[line1]=1+Main+St&created[gte]=1700000000");
        assertThat(p.get("email")).isEqualTo("a@b.example");
        assertThat(p.get("metadata")).isEqualTo(Map.of("plan", "pro", "seats", "3"));
        assertThat(p.get("address")).isEqualTo(Map.of("line1", "1 Main St"));
        assertThat(p.get("created")).isEqualTo(Map.of("gte", "1700000000"));
    }

    @Test
    void readsArraysInBothStripeSpellings() {
        assertThat(FormParams.parse("expand[]=customer&expand[]=invoice").get("expand"))
                .isEqualTo(List.of("customer", "invoice"));
        // stripe-node (qs with indices) sends expand[0]=…; percent-encoded brackets are accepted too.
        assertThat(FormParams.parse("expand%5B1%5D=invoice&expand%5B0%5D=customer").get("expand"))
                .isEqualTo(List.of("customer", "invoice"));
    }

    @Test
    void emptyValueIsKeptAsEmptyString() {
        assertThat(FormParams.parse("description=&metadata[plan]=").get("metadata")).isEqualTo(Map.of("plan", ""));
        assertThat(FormParams.parse("description=").get("description")).isEqualTo("");
        assertThat(FormParams.parse(null)).isEmpty();
    }

    @Test
    void conflictingShapesNameTheParameter() {
        assertThatThrownBy(() -> FormParams.parse("metadata=x&metadata[a]=b"))
                .isInstanceOf(FormParams.FormException.class)
                .hasMessageContaining("metadata[a]")
                .extracting(e -> ((FormParams.FormException) e).param()).isEqualTo("metadata[a]");
        assertThatThrownBy(() -> FormParams.parse("a[b=c")).hasMessageContaining("Invalid parameter name: a[b");
    }
}
