package io.syncline.ops;

/**
 * The result of a live check of one component.
 *
 * @param up whether it answers as expected
 * @param detail a short fact for a table cell ("1 broker", "version 4.3.1") or what failed
 */
public record Health(boolean up, String detail) {

    public static Health up(String detail) {
        return new Health(true, detail);
    }

    public static Health down(String detail) {
        return new Health(false, detail);
    }

    /** {@code up (detail)} or {@code DOWN: detail}, for tables. */
    @Override
    public String toString() {
        if (up) {
            return detail.isEmpty() ? "up" : "up (" + detail + ")";
        }
        return "DOWN: " + detail;
    }
}
