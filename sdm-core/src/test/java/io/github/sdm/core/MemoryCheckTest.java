package io.github.sdm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.spi.RequestSize;
import io.github.sdm.core.testkit.TestData;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests too big for memory are refused before they start, with the estimate and the limit (fake networks). */
class MemoryCheckTest {
    private static StableDiffusion sd;

    @BeforeAll
    static void load() {
        sd = StableDiffusion.load(TestData.tinySd());
    }

    @AfterAll
    static void close() {
        sd.close();
    }

    @Test
    void aHugeImageIsRefusedWithTheSizeOfItsLargestArray() {
        String message = refused(sd.txt2img("a cat").size(100000, 100000).steps(2).seed(1));
        assertTrue(message.startsWith("batch 1 at 100000x100000: the decoded images would hold 30,000,000,000 "
                + "floats (111.8 GiB), more than a Java array holds (2,147,483,639)"), message);
    }

    @Test
    void aHugeBatchIsRefusedWithItsEstimateAndTheLimit() {
        String message = refused(sd.txt2img("a cat").batchSize(100000).steps(2).seed(1));
        // the heap (-Xmx6g in the build) or the machine's memory, whichever is smaller, is the limit exceeded
        assertTrue(message.startsWith("batch 100000 at 64x64 needs about ") && message.contains(" GiB ")
                && (message.contains("maximum heap (-Xmx) is") || message.contains("more than the limit of")), message);
    }

    @Test
    void theLargestBatchIsRefusedWithoutOverflowing() {
        String message = refused(sd.txt2img("a cat").batchSize(Integer.MAX_VALUE).steps(2).seed(1));
        assertTrue(message.startsWith("batch 2147483647 at 64x64: the UNet's input latents would hold "
                + "1,099,511,627,264 floats"), message);
    }

    @Test
    void aNormalRequestRuns() {
        assertEquals(2, sd.txt2img("a cat").batchSize(2).size(64, 64).steps(2).seed(1).generate().images().size());
    }

    @Test
    void theNativeLimitIsASystemProperty() {
        try {
            System.setProperty(MemoryCheck.NATIVE_LIMIT_PROPERTY, "1000");
            String message = refused(sd.txt2img("a cat").steps(2).seed(1));
            // the default estimate: 4 bytes x (2 x (2 x 4 x 8 x 8) latent floats + 3 x 64 x 64 image floats)
            assertEquals("batch 1 at 64x64 needs about 52.0 KiB of native memory for the networks' activations, "
                    + "more than the limit of 1000 bytes (-Dsdm.memoryLimitBytes); ask for fewer images or fewer "
                    + "pixels", message);
            System.setProperty(MemoryCheck.NATIVE_LIMIT_PROPERTY, "8 GB");
            message = refused(sd.txt2img("a cat").steps(2).seed(1));
            assertEquals("system property sdm.memoryLimitBytes must be a positive number of bytes, got '8 GB'",
                    message);
        } finally {
            System.clearProperty(MemoryCheck.NATIVE_LIMIT_PROPERTY);
        }
    }

    @Test
    void sizesSaturateInsteadOfWrappingAround() {
        assertEquals(Long.MAX_VALUE, RequestSize.product(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, RequestSize.sum(Long.MAX_VALUE - 1, 2));
        assertEquals(0, RequestSize.product(0, Long.MAX_VALUE, 5));
        assertEquals(6, RequestSize.product(2, 3));
        assertEquals("more than 8 EiB", MemoryCheck.bytes(Long.MAX_VALUE));
        assertEquals("1.5 KiB", MemoryCheck.bytes(1536));
    }

    private static String refused(GenerationBuilder request) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(InvalidRequestException.class, request::generate)).getMessage();
    }
}
