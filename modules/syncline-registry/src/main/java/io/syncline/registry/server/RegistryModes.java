package io.syncline.registry.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.syncline.registry.server.RegistryState.VersionView;
import io.syncline.registry.server.StoreRecords.ModeKey;
import io.syncline.registry.server.StoreRecords.NoopKey;
import io.syncline.registry.server.StoreRecords.SchemaKey;

/**
 * Confluent's modes (READWRITE, READONLY, READONLY_OVERRIDE, IMPORT, FORWARD) per subject, context and globally:
 * the mode in force, setting one (IMPORT clears the scope's soft-deleted versions) and removing one.
 */
final class RegistryModes {

    /** Confluent's modes. */
    static final List<String> MODES = List.of("READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT", "FORWARD");

    private final RegistryState state;
    private final SchemaLog log;

    RegistryModes(RegistryState state, SchemaLog log) {
        this.state = state;
        this.log = log;
    }


    /** Confluent's getModeInScope: the subject's mode, else its context's, else the global one, else READWRITE. */
    String effectiveMode(String subject) {
        if (subject != null) {
            Optional<String> own = state.mode(subject);
            if (own.isPresent()) {
                return own.get();
            }
            String contextKey = Subjects.contextKey(Subjects.context(subject));
            if (contextKey != null) {
                Optional<String> context = state.mode(contextKey);
                if (context.isPresent()) {
                    return context.get();
                }
            }
        }
        return state.mode(null).or(() -> state.mode(":" + Subjects.GLOBAL_CONTEXT + ":")).orElse("READWRITE");
    }

    /** {@code GET /mode[/{subject}]}: the own mode (40409 for a subject without one) or, with defaultToGlobal, the one in force. */
    String mode(String rawSubject, boolean defaultToGlobal) {
        String subject = modeKey(rawSubject);
        if (defaultToGlobal) {
            return effectiveMode(subject);
        }
        if (subject == null) {
            return state.mode(null).orElse("READWRITE");
        }
        return state.mode(subject).orElseThrow(() -> RegistryException.subjectModeNotConfigured(subject));
    }

    /**
     * Sets a mode. Switching to IMPORT requires that the scope has no live subjects (unless {@code force}), and
     * permanently removes its soft-deleted versions, as Confluent does, so imported ids and versions cannot collide.
     */
    String setMode(String rawSubject, String requested, boolean force) {
        String subject = modeKey(rawSubject);
        String mode = requested == null ? null : requested.trim().toUpperCase(Locale.ROOT);
        if (mode == null || !MODES.contains(mode)) {
            throw RegistryException.invalidMode("Invalid mode. Valid values are READWRITE, READONLY, IMPORT and"
                    + " FORWARD." + (requested == null ? " (the request has no \"mode\" field)"
                    : " (got '" + requested + "')"));
        }
        if (mode.equals("FORWARD") && subject != null) {
            throw RegistryException.invalidMode("Forward mode only supported on global level");
        }
        return log.<String>write(m -> {
            if (mode.equals("IMPORT") && !effectiveMode(subject).equals("IMPORT") && !force) {
                List<String> scope = subjectsInScope(subject);
                for (String s : scope) {
                    if (state.hasSubject(s, false)) {
                        throw RegistryException.operationNotPermitted("Cannot import since found existing subjects");
                    }
                }
                for (String s : scope) {
                    for (VersionView v : state.versions(s, true)) {
                        if (!state.referencedBy(s, v.version(), true).isEmpty()) {
                            throw RegistryException.referenceExists(s, v.version());
                        }
                        m.tombstone(new SchemaKey(s, v.version()));
                    }
                }
                if (!scope.isEmpty()) {
                    m.put(new NoopKey(), StoreRecords.noopValueBytes(state.maxIds()));
                }
            }
            if (!state.mode(subject).map(mode::equals).orElse(false)) {
                m.put(new ModeKey(subject), StoreRecords.modeValueBytes(subject, mode));
            }
            return m.result(mode);
        });
    }

    /** Removes a mode ({@code recursive}: also every subject mode of the context) and returns the removed one. */
    String deleteMode(String rawSubject, boolean recursive) {
        String subject = modeKey(rawSubject);
        Optional<String> current = state.mode(subject);
        if (current.isEmpty() && !recursive) {
            throw RegistryException.subjectNotFound(subject == null ? "" : subject);
        }
        return log.<String>write(m -> {
            state.mode(subject).ifPresent(x -> m.tombstone(new ModeKey(subject)));
            if (recursive && (subject == null || Subjects.isContextOnly(subject))) {
                String prefix = subject == null ? "" : subject;
                for (String s : state.subjectsWithMode(prefix)) {
                    if (subject != null || Subjects.context(s).equals(Subjects.DEFAULT_CONTEXT)) {
                        m.tombstone(new ModeKey(s));
                    }
                }
            }
            return m.result(current.orElse(null));
        });
    }

    private static String modeKey(String rawSubject) {
        if (rawSubject == null) {
            return null;
        }
        String subject = Subjects.normalize(rawSubject);
        if (Subjects.isContextOnly(subject) && Subjects.context(subject).equals(Subjects.DEFAULT_CONTEXT)) {
            return null;
        }
        return subject;
    }

    /** The subjects (any state) a mode key covers: one subject, a whole context, or everything. */
    private List<String> subjectsInScope(String key) {
        List<String> out = new ArrayList<>();
        for (String s : state.subjects(true)) {
            boolean covered = key == null ? Subjects.context(s).equals(Subjects.DEFAULT_CONTEXT)
                    : Subjects.isContextOnly(key) ? Subjects.context(s).equals(Subjects.context(key)) : s.equals(key);
            if (covered) {
                out.add(s);
            }
        }
        return out;
    }


    /** Refuses a write to a subject whose mode in force is read-only (42205). */
    void checkWritable(String subject) {
        String mode = effectiveMode(subject);
        if (mode.equals("READONLY") || mode.equals("READONLY_OVERRIDE")) {
            throw RegistryException.operationNotPermitted("Subject " + subject + " in context "
                    + Subjects.context(subject) + " is in read-only mode");
        }
    }
}
