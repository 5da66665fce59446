package io.syncline.mapping;

/** A compiled expression together with the kind of value it produces. */
public record Typed(Expr expr, ValueKind kind) {

    public static Typed of(ValueKind kind, Expr expr) {
        return new Typed(expr, kind);
    }
}
