package io.github.sdm.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NvidiaGpusTest {
    @Test
    void readsOneGpuPerLine() {
        NvidiaGpus.Listing listing = NvidiaGpus.parse("0, NVIDIA H200, 143771, 570.124.06\n"
                + "1, NVIDIA GeForce RTX 4090, 24564, 570.124.06\n");
        assertEquals(List.of(new NvidiaGpus.Gpu(0, "NVIDIA H200", 143771, "570.124.06"),
                new NvidiaGpus.Gpu(1, "NVIDIA GeForce RTX 4090", 24564, "570.124.06")), listing.gpus());
        assertTrue(listing.any());
        assertEquals("", listing.problem());
    }

    @Test
    void anEmptyAnswerIsNoGpuWithTheReason() {
        NvidiaGpus.Listing listing = NvidiaGpus.parse("\n");
        assertFalse(listing.any());
        assertEquals("nvidia-smi lists no GPU", listing.problem());
    }

    @Test
    void aLineOfAnotherShapeIsRefusedQuotingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NvidiaGpus.parse("0, NVIDIA H200, [N/A]"));
        assertTrue(e.getMessage().contains("'0, NVIDIA H200, [N/A]'"), e.getMessage());
    }

    @Test
    void listingNeverThrowsAndExplainsAnAbsence() {
        NvidiaGpus.Listing listing = NvidiaGpus.list();
        assertEquals(listing.gpus().isEmpty(), !listing.problem().isEmpty(), listing.toString());
        System.out.println("GPUs here: " + (listing.any() ? listing.gpus() : listing.problem()));
    }
}
