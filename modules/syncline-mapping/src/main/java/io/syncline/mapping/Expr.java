package io.syncline.mapping;

/** One compiled piece of a mapping; evaluates against a record without re-reading the mapping. */
@FunctionalInterface
public interface Expr {

    /** The value for the record in {@code ctx}, or null when there is none. */
    Object eval(MappingContext ctx);
}
