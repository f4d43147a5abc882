package io.github.sdm.unet.djl;

import io.github.sdm.unet.djl.nn.Network;
import java.util.function.Supplier;

/**
 * One network of a loaded model whose weights can be freed and read again (stage residency). The network
 * objects the pipeline sees ({@link DjlTextEncoder}, {@link DjlDenoiser}, the autoencoders) hold this, not the
 * network itself, and ask for the network on every call; their sizes come from the configs. The pipeline never
 * releases a network under a running call, so a call that finds it released is a bug, reported as such.
 */
final class ReleasableNetwork<N extends Network> implements Supplier<N> {
    private final String name;
    private final Supplier<N> loader;
    private volatile N network;
    private int loads;
    private int releases;

    /**
     * @param name how errors name the network ({@code "text encoder"})
     * @param loader reads the weights anew (memory-mapped: the file's pages are still cached, so it is cheap)
     * @param loaded the network as the backend loaded it
     */
    ReleasableNetwork(String name, Supplier<N> loader, N loaded) {
        this.name = name;
        this.loader = loader;
        this.network = loaded;
    }

    /** The loaded network. */
    @Override
    public N get() {
        N n = network;
        if (n == null) {
            throw new IllegalStateException("the " + name + " was released (stage residency) and not loaded again "
                    + "before this call");
        }
        return n;
    }

    /**
     * Reads the weights again if they were released, then hands the allocator's freed pages back to the kernel: a
     * load converts weights (int8 quantized from float files, float16 widened) through temporaries that stay in the
     * allocator's arenas once freed, and would count in the stage's peak.
     */
    synchronized void load() {
        if (network == null) {
            network = loader.get();
            loads++;
            NativeHeap.trim();
        }
    }

    /**
     * Frees the weights. Weights that view the mapped file are unmapped as the network closes; the collection asked
     * for here lets go of what else the network held, and the trim hands the allocator's freed pages (converted
     * weights, such as int8 ones, and the stage's activations) back to the kernel, so the memory is given back when
     * the stage ends instead of staying in the resident set through the next stage.
     */
    synchronized void release() {
        if (network != null) {
            network.close();
            network = null;
            releases++;
            System.gc();
            NativeHeap.trim();
        }
    }

    synchronized boolean isLoaded() {
        return network != null;
    }

    /** Reads after {@link #release()} (for tests). */
    synchronized int loads() {
        return loads;
    }

    /** Releases so far (for tests). */
    synchronized int releases() {
        return releases;
    }

    /** Frees the weights for good, without the collection (the model is closing). */
    synchronized void close() {
        if (network != null) {
            network.close();
            network = null;
        }
    }
}
