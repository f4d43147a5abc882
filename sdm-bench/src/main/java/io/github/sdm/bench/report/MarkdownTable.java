package io.github.sdm.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A GitHub-flavoured Markdown table, padded so that it also reads well as plain text. Cells are any
 * objects (their {@code toString()}); a {@code |} in a cell is escaped and line breaks become spaces.
 */
public final class MarkdownTable {
    private final List<String> headers;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    public MarkdownTable(String... headers) {
        if (headers.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.headers = Arrays.stream(headers).map(MarkdownTable::cell).toList();
        this.rightAligned = new boolean[headers.length];
    }

    /** Right-aligns the given columns (0-based), for numbers. */
    public MarkdownTable alignRight(int... columns) {
        for (int c : columns) {
            if (c < 0 || c >= headers.size()) {
                throw new IllegalArgumentException("no column " + c + " in a table of " + headers.size());
            }
            rightAligned[c] = true;
        }
        return this;
    }

    public MarkdownTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the table " + headers.size()
                    + " columns " + headers);
        }
        rows.add(Arrays.stream(cells).map(c -> cell(String.valueOf(c))).toList());
        return this;
    }

    public int rowCount() {
        return rows.size();
    }

    /** The table, one line per row, each line ending with a newline. */
    public String render() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = Math.max(3, headers.get(c).length());
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            out.append(' ').append("-".repeat(widths[c] - (rightAligned[c] ? 1 : 0)))
                    .append(rightAligned[c] ? ":" : "").append(" |");
        }
        out.append('\n');
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    private void line(StringBuilder out, List<String> cells, int[] widths) {
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            String text = cells.get(c);
            String pad = " ".repeat(widths[c] - text.length());
            out.append(' ').append(rightAligned[c] ? pad + text : text + pad).append(" |");
        }
        out.append('\n');
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }
}
