package io.github.sdm.core.testkit;

import java.lang.ref.Cleaner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Forces what a garbage collection does at an unlucky moment: unreachable objects collected and their
 * cleaners run, so that memory kept only by a dropped Java object (a direct buffer) is freed.
 */
public final class GarbageCollection {
    private static final Cleaner CLEANER = Cleaner.create();

    private GarbageCollection() {
    }

    /**
     * Collects until the cleaner of an object dropped here has run, three times over (a collection may leave
     * some references to the next), then gives the reference handler a moment to finish its queue.
     */
    public static void collectAndClean() {
        try {
            for (int i = 0; i < 3; i++) {
                CountDownLatch cleaned = new CountDownLatch(1);
                CLEANER.register(new Object(), cleaned::countDown);
                while (!cleaned.await(20, TimeUnit.MILLISECONDS)) {
                    System.gc();
                }
            }
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a garbage collection", e);
        }
    }
}
