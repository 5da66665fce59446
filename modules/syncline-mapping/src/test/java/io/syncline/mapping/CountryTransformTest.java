package io.syncline.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {country: …}: free-text CRM countries to ISO-3166 codes, null (not a failure) for what names no country. */
class CountryTransformTest {

    @ParameterizedTest(name = "\"{0}\" → {1}")
    @CsvSource(nullValues = "null", value = {
        "de, DE", "' DE ', DE", "Germany, DE", "united states, US", "USA, US", "United Kingdom, GB", "UK, GB",
        "Deutschland, DE", "Narnia, null", "Atlantis, null", "'   ', null"})
    void namesAndCodesBecomeIsoCodes(String text, String code) {
        assertThat(TextTransforms.countryCode(text)).isEqualTo(code);
    }
}
