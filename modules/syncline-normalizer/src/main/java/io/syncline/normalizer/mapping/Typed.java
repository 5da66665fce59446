package io.syncline.normalizer.mapping;

/** A compiled expression together with the kind of value it produces. */
record Typed(Expr expr, ValueKind kind) {

    static Typed of(ValueKind kind, Expr expr) {
        return new Typed(expr, kind);
    }
}
