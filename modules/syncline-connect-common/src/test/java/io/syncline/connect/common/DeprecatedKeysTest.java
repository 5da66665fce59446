package io.syncline.connect.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class DeprecatedKeysTest {

    private static final DeprecatedKeys KEYS = DeprecatedKeys.of(
            DeprecatedKeys.Alias.renamed("old.hosts", "new.hosts"),
            new DeprecatedKeys.Alias("old.switch", "new.list", (value, props) ->
                    Map.of("new.list", "true".equals(value) ? props.getOrDefault("host", "") : "")));

    @Test
    void anOldKeyMovesToItsNewKeyWithAWarningNamingIt() {
        DeprecatedKeys.Resolved r = KEYS.resolve(Map.of("old.hosts", "a,b", "host", "h:1", "old.switch", "true"));

        assertThat(r.props()).containsOnly(Map.entry("new.hosts", "a,b"), Map.entry("host", "h:1"),
                Map.entry("new.list", "h:1"));
        assertThat(r.origins()).containsOnly(Map.entry("new.hosts", "old.hosts"), Map.entry("new.list", "old.switch"));
        assertThat(r.warnings()).containsExactly(
                "old.hosts is deprecated; use new.hosts instead (the value given for old.hosts is used for now)",
                "old.switch is deprecated; use new.list instead (the value given for old.switch is used for now)");
    }

    @Test
    void theNewKeyWinsWhenBothAreSet() {
        DeprecatedKeys.Resolved r = KEYS.resolve(Map.of("old.hosts", "a", "new.hosts", "b"));

        assertThat(r.props()).containsOnly(Map.entry("new.hosts", "b"));
        assertThat(r.warnings()).containsExactly("old.hosts is deprecated and ignored because new.hosts is set; "
                + "remove old.hosts");
    }

    @Test
    void aConfigWithoutOldKeysIsUntouched() {
        Map<String, String> props = Map.of("new.hosts", "a");
        DeprecatedKeys.Resolved r = KEYS.resolve(props);
        assertThat(r.props()).isEqualTo(props);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void aProblemOnANewKeyShowsOnTheOldKeyItCameFrom() {
        DeprecatedKeys.Resolved r = KEYS.resolve(Map.of("old.hosts", "bad"));
        ConfigValue hosts = new ConfigValue("new.hosts");
        hosts.addErrorMessage("new.hosts: 'bad' is no host");

        Config mirrored = DeprecatedKeys.mirror(new Config(List.of(hosts)), r);

        assertThat(mirrored.configValues()).extracting(ConfigValue::name).containsExactly("new.hosts", "old.hosts");
        assertThat(mirrored.configValues().get(1).errorMessages()).containsExactly("new.hosts: 'bad' is no host "
                + "(given as the deprecated old.hosts; rename it to new.hosts)");
    }
}
