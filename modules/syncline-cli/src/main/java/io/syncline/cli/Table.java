package io.syncline.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table with left-aligned columns separated by two spaces, for terminals and for grep. */
public final class Table {

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    private Table(String... headers) {
        this.columns = headers.length;
        rows.add(headers);
    }

    public static Table of(String... headers) {
        return new Table(headers);
    }

    /** Adds a row; {@code null} cells print empty. */
    public Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "" : String.valueOf(c)).toArray(String[]::new));
        return this;
    }

    /** True when the table has no rows besides the header. */
    public boolean isEmpty() {
        return rows.size() == 1;
    }

    /** The table, one line per row, each ending in a newline; trailing spaces are trimmed. */
    public String render() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
