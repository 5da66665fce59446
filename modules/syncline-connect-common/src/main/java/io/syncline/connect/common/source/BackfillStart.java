package io.syncline.connect.common.source;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Where a polling source's first start begins: the value of its {@code backfill.start} key once parsed. */
public sealed interface BackfillStart {

    /** The key every polling source that has it names it by. */
    String KEY = "backfill.start";

    /** Everything the provider holds when the backfill starts. */
    record All() implements BackfillStart {
    }

    /** No backfill: only changes from the connector's first start. */
    record None() implements BackfillStart {
    }

    /** Objects created (or changed, for an export) at or after {@code from}. */
    record Since(Instant from) implements BackfillStart {
    }

    /** 'all', 'none', a date (midnight UTC) or an ISO-8601 instant, case and blanks around it ignored. */
    static BackfillStart parse(String value) {
        String v = value == null ? "" : value.trim();
        if (v.equalsIgnoreCase("all")) {
            return new All();
        }
        if (v.equalsIgnoreCase("none")) {
            return new None();
        }
        try {
            return new Since(LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException notADate) {
            try {
                return new Since(Instant.parse(v));
            } catch (DateTimeParseException notAnInstant) {
                throw new ConfigException(KEY + ": expected all, none, a date (2024-01-31) or an ISO-8601 "
                        + "instant (2024-01-31T08:00:00Z), got '" + v + "'");
            }
        }
    }

    /** Accepts what {@link #parse} does. */
    final class Validator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            parse(value == null ? null : value.toString());
        }

        @Override
        public String toString() {
            return "all, none, a date (2024-01-31) or an ISO-8601 instant";
        }
    }
}
