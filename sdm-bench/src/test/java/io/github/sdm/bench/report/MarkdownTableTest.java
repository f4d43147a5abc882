package io.github.sdm.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MarkdownTableTest {

    @Test
    void columnsArePaddedToTheWidestCellAndNumbersAlignRight() {
        String table = new MarkdownTable("stage", "median").alignRight(1)
                .row("text encoding", "812.0 ms")
                .row("VAE", "2.10 s")
                .render();
        assertEquals("""
                | stage         |   median |
                | ------------- | -------: |
                | text encoding | 812.0 ms |
                | VAE           |   2.10 s |
                """, table);
    }

    @Test
    void pipesAreEscapedAndLineBreaksFlattened() {
        String table = new MarkdownTable("a").row("x | y\nz").render();
        assertEquals("""
                | a        |
                | -------- |
                | x \\| y z |
                """, table);
    }

    @Test
    void narrowColumnsStillGetAThreeDashRule() {
        assertEquals("|   n |\n| --: |\n|   7 |\n", new MarkdownTable("n").alignRight(0).row(7).render());
    }

    @Test
    void aRowOfTheWrongWidthOrAMissingColumnIsRefused() {
        MarkdownTable t = new MarkdownTable("a", "b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
        assertEquals("row has 1 cells, the table 2 columns [a, b]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.alignRight(2));
        assertThrows(IllegalArgumentException.class, MarkdownTable::new);
    }

    @Test
    void formatsNameTheirUnits() {
        assertEquals("14.54 s", Format.duration(Duration.ofMillis(14_540)));
        assertEquals("812.3 ms", Format.duration(Duration.ofNanos(812_300_000)));
        assertEquals("45.0 us", Format.duration(Duration.ofNanos(45_000)));
        assertEquals("1.00 s - 2.50 s", Format.range(Duration.ofSeconds(1), Duration.ofMillis(2500)));
        assertEquals("3.50 GiB", Format.bytes(3584L << 20));
        assertEquals("812.0 MiB", Format.bytes(812L << 20));
        assertEquals("n/a", Format.bytes(-1));
        assertEquals("360.2", Format.giga(360_212_889_600L));
        assertEquals("50.0", Format.gigaPerSecond(100_000_000_000L, 2_000_000_000L));
        assertEquals("37.5%", Format.percent(0.375));
        assertEquals("2.65x", Format.ratio(2.648));
    }
}
