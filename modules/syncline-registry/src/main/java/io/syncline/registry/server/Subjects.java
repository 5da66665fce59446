package io.syncline.registry.server;

/**
 * Confluent's context-qualified subject names: {@code :.ctx:name} is subject {@code name} in context {@code .ctx};
 * {@code :.:name} and a plain {@code name} are the same subject in the default context {@code .}. A name with nothing
 * after the second colon ({@code :.ctx:}) stands for the context itself (where config and mode of a whole context are
 * kept). Schema ids are numbered per context, as in Confluent.
 */
final class Subjects {

    static final String DEFAULT_CONTEXT = ".";
    /** Confluent's global context: config and mode set here apply to every context that has none of its own. */
    static final String GLOBAL_CONTEXT = ".__GLOBAL";

    private Subjects() {
    }

    /** The stored form of a subject: default-context qualifiers are dropped, others kept. */
    static String normalize(String subject) {
        if (subject != null && subject.startsWith(":.:")) {
            return subject.substring(3);
        }
        return subject;
    }

    /** The context a (normalised) subject lives in, e.g. {@code .ctx}; {@code .} for the default context. */
    static String context(String subject) {
        if (subject == null || !subject.startsWith(":.")) {
            return DEFAULT_CONTEXT;
        }
        int end = subject.indexOf(':', 1);
        return end < 0 ? DEFAULT_CONTEXT : subject.substring(1, end);
    }

    /** The name without its context qualifier. */
    static String unqualified(String subject) {
        if (subject == null || !subject.startsWith(":.")) {
            return subject;
        }
        int end = subject.indexOf(':', 1);
        return end < 0 ? subject : subject.substring(end + 1);
    }

    /** True for {@code :.ctx:} (a context, not a subject) and for the empty name. */
    static boolean isContextOnly(String subject) {
        return subject != null && unqualified(subject).isEmpty();
    }

    /** The key under which a whole context's config or mode is stored: null for the default context. */
    static String contextKey(String context) {
        return DEFAULT_CONTEXT.equals(context) ? null : ":" + context + ":";
    }

    /** {@code name} qualified with {@code context}, as Confluent stores subjects outside the default context. */
    static String qualify(String context, String name) {
        return DEFAULT_CONTEXT.equals(context) ? name : ":" + context + ":" + name;
    }

    /**
     * A reference's subject resolved against the subject that refers to it: an unqualified reference from inside a
     * context means a subject of that context, as Confluent's qualifySubjectWithParent does.
     */
    static String resolveReference(String parentSubject, String referenceSubject) {
        String normalized = normalize(referenceSubject);
        if (normalized.startsWith(":.")) {
            return normalized;
        }
        return qualify(context(parentSubject), normalized);
    }

    /** Whether a subject name is one Confluent accepts: not blank and free of control characters. */
    static boolean isValid(String subject) {
        if (subject == null || subject.isBlank()) {
            return false;
        }
        for (int i = 0; i < subject.length(); i++) {
            if (Character.isISOControl(subject.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
