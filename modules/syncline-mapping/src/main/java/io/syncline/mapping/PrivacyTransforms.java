package io.syncline.mapping;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Privacy: hash (keyed HMAC-SHA256), mask and drop, for views where personal data must not travel (docs/privacy.md). */
final class PrivacyTransforms {

    static final String ALGORITHM = "HmacSHA256";

    private PrivacyTransforms() {
    }

    /**
     * {@code {hash: <expr>, key: env:NAME|file:PATH}}: the HMAC-SHA256 of the value's text under the referenced key,
     * as 64 lower-case hex digits. The key is resolved once, when the mapping compiles, and never appears in a
     * message; equal values hash equally under one key, so analysts still join on the hash.
     */
    static Typed hash(ExprCompiler c, ObjectNode node, String path) {
        Typed in = c.valueOf(node.get("hash"), path + ".hash", ValueKind.TEXT, ValueKind.INTEGER);
        JsonNode ref = node.get("key");
        if (ref == null || !ref.isTextual() || !(ref.textValue().startsWith("env:") || ref.textValue()
                .startsWith("file:"))) {
            return c.fail(path + ".key", "expected a secret reference, env:NAME or file:/path/to/key; hash keys are"
                    + " never written inline");
        }
        byte[] key;
        try {
            key = c.secret(ref.textValue()).getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return c.fail(path + ".key", e.getMessage());
        }
        if (key.length < 16) {
            return c.fail(path + ".key", "the key " + ref.textValue() + " is " + key.length + " bytes; HMAC-SHA256"
                    + " needs at least 16 (32 random bytes recommended, e.g. openssl rand -hex 32)");
        }
        if (in == ExprCompiler.ERROR) {
            return in;
        }
        SecretKeySpec spec = new SecretKeySpec(key, ALGORITHM);
        // Mac is not thread-safe; one per thread, created from the key once.
        ThreadLocal<Mac> macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
            }
        });
        Expr e = in.expr();
        return Typed.of(ValueKind.TEXT, ctx -> {
            String s = Values.text(e.eval(ctx), "hash");
            return s == null ? null : HexFormat.of().formatHex(macs.get().doFinal(s.getBytes(StandardCharsets.UTF_8)));
        });
    }

    /**
     * {@code {mask: <expr>, keep-first: N, keep-last: N, keep-domain: true|false}}: the text with every character
     * replaced by {@code *} except the first and last ones asked for (and, with keep-domain, the part of an e-mail
     * from its {@code @}).
     */
    static Typed mask(ExprCompiler c, ObjectNode node, String path) {
        Typed in = c.valueOf(node.get("mask"), path + ".mask", ValueKind.TEXT, ValueKind.INTEGER);
        Integer first = count(c, node, "keep-first", path);
        Integer last = count(c, node, "keep-last", path);
        JsonNode domain = node.get("keep-domain");
        if (domain != null && !domain.isBoolean()) {
            return c.fail(path + ".keep-domain", "expected true or false, got " + domain);
        }
        if (in == ExprCompiler.ERROR || first == null || last == null) {
            return ExprCompiler.ERROR;
        }
        boolean keepDomain = domain != null && domain.booleanValue();
        Expr e = in.expr();
        return Typed.of(ValueKind.TEXT, ctx -> {
            String s = Values.text(e.eval(ctx), "mask");
            return s == null ? null : mask(s, first, last, keepDomain);
        });
    }

    static String mask(String s, int keepFirst, int keepLast, boolean keepDomain) {
        String local = s;
        String rest = "";
        int at = s.lastIndexOf('@');
        if (keepDomain && at >= 0) {
            local = s.substring(0, at);
            rest = s.substring(at);
        }
        int[] cps = local.codePoints().toArray();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cps.length; i++) {
            if (i < keepFirst || i >= cps.length - keepLast) {
                out.appendCodePoint(cps[i]);
            } else {
                out.append('*');
            }
        }
        return out.append(rest).toString();
    }

    private static Integer count(ExprCompiler c, ObjectNode node, String option, String path) {
        JsonNode v = node.get(option);
        if (v == null) {
            return 0;
        }
        if (!v.isIntegralNumber() || v.intValue() < 0 || v.intValue() > 1000) {
            c.problem(path + "." + option, "expected a whole number from 0 to 1000, got " + v);
            return null;
        }
        return v.intValue();
    }

    /** {@code {drop: true}}: always null; the source is not read. */
    static Typed drop(ExprCompiler c, ObjectNode node, String path) {
        JsonNode v = node.get("drop");
        if (v == null || !v.isBoolean() || !v.booleanValue()) {
            return c.fail(path + ".drop", "expected {drop: true}, got " + v);
        }
        return Typed.of(ValueKind.JSON, ctx -> null);
    }
}
