package io.github.sdm.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.ModelClosedException;
import io.github.sdm.core.testkit.TestData;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing a model: never under a running generation, and every use afterwards a clear error (fake networks). */
class ModelCloseTest {

    @Test
    void everyUseAfterCloseSaysTheModelWasClosedAndASecondCloseDoesNothing() {
        StableDiffusion sd = StableDiffusion.load(TestData.tinySd());
        Generation builtBefore = sd.txt2img("a cat").steps(2).seed(1).build();
        sd.close();
        sd.close();
        assertClosed(() -> sd.txt2img("a cat"));
        assertClosed(() -> sd.img2img(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "a cat"));
        assertClosed(() -> sd.newGeneration(GenerationRequest.builder(Mode.TXT2IMG, "a cat").build()));
        assertClosed(builtBefore::run);
    }

    @Test
    void closeCancelsARunningGenerationAndWaitsUntilItHasStopped() throws Exception {
        StableDiffusion sd = StableDiffusion.load(TestData.tinySd());
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        CompletableFuture<GenerationResult> run = CompletableFuture.supplyAsync(() -> sd.txt2img("a cat").steps(5)
                .seed(1).listener(p -> {
                    inStep.countDown();
                    await(letGo);
                }).generate());
        assertTrue(inStep.await(10, TimeUnit.SECONDS));
        CompletableFuture<Void> close = CompletableFuture.runAsync(sd::close);
        Thread.sleep(200);
        assertFalse(close.isDone(), "close returned while a generation still ran");
        letGo.countDown();
        close.get(10, TimeUnit.SECONDS);
        ExecutionException e = assertThrows(ExecutionException.class, run::get);
        assertTrue(e.getCause() instanceof ModelClosedException && e.getCause().getMessage().contains("closed")
                && e.getCause().getMessage().contains("after 1 of "), String.valueOf(e.getCause()));
    }

    @Test
    void aCloseFromTheGenerationsOwnListenerStopsItWithoutWaitingForItself() {
        StableDiffusion sd = StableDiffusion.load(TestData.tinySd());
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertClosed(() -> sd.txt2img("a cat").steps(5)
                .seed(1).listener(p -> sd.close()).generate()));
        assertClosed(() -> sd.txt2img("a cat"));
    }

    private static void assertClosed(org.junit.jupiter.api.function.Executable use) {
        ModelClosedException e = assertThrows(ModelClosedException.class, use);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
