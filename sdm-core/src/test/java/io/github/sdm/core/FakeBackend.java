package io.github.sdm.core;

import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.spi.DenoiserNetwork;
import io.github.sdm.core.spi.DenoiserSession;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.LoadVerdict;
import io.github.sdm.core.spi.ModelBackend;
import io.github.sdm.core.spi.NetworkRole;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.spi.TextEncoderNetwork;
import io.github.sdm.core.tensor.FloatTensor;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plain-Java stand-in networks, so the pipeline's own logic (batch layout, guidance, seeds, progress,
 * cancellation, errors) is tested without native code. Each UNet session records what it was called with in
 * its own {@link SessionRecord}, so generations running at once do not share a list.
 */
public final class FakeBackend implements ModelBackend {
    /** Text encoder layers: clip skip may be 1 or 2. */
    static final int TEXT_LAYERS = 2;
    private static final AtomicReference<SessionRecord> LAST_SESSION = new AtomicReference<>();
    private static final AtomicReference<FakeNetworks> LAST_NETWORKS = new AtomicReference<>();
    /** When set, the UNet returns NaN from this call index on. */
    static volatile int nanFromCall = -1;

    @Override
    public String name() {
        return "fake";
    }

    /**
     * What one UNet session was called with, call by call: the sample and context batch sizes, and the first
     * context value per batch entry (which identifies the prompt).
     */
    record SessionRecord(List<int[]> calls, List<float[]> contextMarkers) {
        SessionRecord() {
            this(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        }
    }

    /** The record of the session opened last (by any thread). */
    static SessionRecord lastSession() {
        return LAST_SESSION.get();
    }

    @Override
    public LoadVerdict canLoad(ModelLocation location) {
        return LoadVerdict.yes();
    }

    @Override
    public boolean releasesPerStage() {
        return true;
    }

    @Override
    public FakeNetworks load(ModelLocation location, LoadOptions options) {
        FakeNetworks networks = new FakeNetworks();
        LAST_NETWORKS.set(networks);
        return networks;
    }

    /** The networks loaded last (by any thread). */
    static FakeNetworks lastNetworks() {
        return LAST_NETWORKS.get();
    }

    /**
     * The fake networks, which can be released and loaded again: a call to a released network fails (as a real
     * one would read freed memory), and every load and release is counted and told to {@link #log}.
     */
    static final class FakeNetworks implements DiffusionNetworks {
        private final Set<NetworkRole> loaded = EnumSet.allOf(NetworkRole.class);
        private final Map<NetworkRole, AtomicInteger> loads = new EnumMap<>(NetworkRole.class);
        private final Map<NetworkRole, AtomicInteger> releases = new EnumMap<>(NetworkRole.class);
        /** Told "load ROLE" and "release ROLE" as they happen. */
        volatile Consumer<String> log = event -> { };

        FakeNetworks() {
            for (NetworkRole role : NetworkRole.values()) {
                loads.put(role, new AtomicInteger());
                releases.put(role, new AtomicInteger());
            }
        }

        @Override
        public TextEncoderNetwork textEncoder() {
            return new FakeTextEncoder(() -> requireLoaded(NetworkRole.TEXT_ENCODER));
        }

        @Override
        public DenoiserNetwork unet() {
            return new FakeUnet(() -> requireLoaded(NetworkRole.UNET));
        }

        @Override
        public AutoencoderNetwork vae() {
            return new FakeVae(() -> requireLoaded(NetworkRole.VAE));
        }

        @Override
        public synchronized void load(NetworkRole role) {
            if (loaded.add(role)) {
                loads.get(role).incrementAndGet();
                log.accept("load " + role);
            }
        }

        @Override
        public synchronized void release(NetworkRole role) {
            if (loaded.remove(role)) {
                releases.get(role).incrementAndGet();
                log.accept("release " + role);
            }
        }

        synchronized boolean isLoaded(NetworkRole role) {
            return loaded.contains(role);
        }

        /** Loads after the first (the backend's own load is not counted). */
        int loads(NetworkRole role) {
            return loads.get(role).get();
        }

        int releases(NetworkRole role) {
            return releases.get(role).get();
        }

        private synchronized void requireLoaded(NetworkRole role) {
            if (!loaded.contains(role)) {
                throw new IllegalStateException("the fake " + role + " was called while released");
            }
        }

        @Override
        public void close() {
        }
    }

    /**
     * One 77x2 embedding per prompt whose values identify the prompt (its token sum) plus 1000 per skipped
     * layer, and a pooled [1, 2] embedding of the same value.
     */
    private static final class FakeTextEncoder implements TextEncoderNetwork {
        private final Runnable requireLoaded;

        FakeTextEncoder(Runnable requireLoaded) {
            this.requireLoaded = requireLoaded;
        }

        @Override
        public TextConditioning encode(long[][] ids, int clipSkip) {
            requireLoaded.run();
            float[] out = new float[ids.length * 77 * 2];
            float[] pooled = new float[ids.length * 2];
            for (int b = 0; b < ids.length; b++) {
                long sum = 0;
                for (long id : ids[b]) {
                    sum += id;
                }
                float marker = sum % 1000 + 1000 * (clipSkip - 1);
                java.util.Arrays.fill(out, b * 154, (b + 1) * 154, marker);
                java.util.Arrays.fill(pooled, b * 2, (b + 1) * 2, marker);
            }
            return new TextConditioning(new FloatTensor(out, new int[] {ids.length, 77, 2}),
                    new FloatTensor(pooled, new int[] {ids.length, 2}), java.util.Map.of());
        }

        @Override
        public int numHiddenLayers() {
            return TEXT_LAYERS;
        }
    }

    private static final class FakeUnet implements DenoiserNetwork {
        private final Runnable requireLoaded;

        FakeUnet(Runnable requireLoaded) {
            this.requireLoaded = requireLoaded;
        }

        @Override
        public DenoiserSession openSession(DenoiserSessionOptions options) {
            requireLoaded.run();
            SessionRecord record = new SessionRecord();
            LAST_SESSION.set(record);
            return new DenoiserSession() {
                @Override
                public FloatTensor predict(FloatTensor sample, double timestep, int callIndex,
                        TextConditioning conditioning) {
                    requireLoaded.run();
                    FloatTensor context = conditioning.hiddenStates();
                    if (conditioning.pooled().dim(0) != context.dim(0)) {
                        throw new AssertionError("pooled batch " + conditioning.pooled().dim(0) + " != "
                                + context.dim(0));
                    }
                    record.calls().add(new int[] {sample.dim(0), context.dim(0)});
                    float[] markers = new float[context.dim(0)];
                    for (int b = 0; b < markers.length; b++) {
                        markers[b] = context.data()[b * context.itemSize()];
                    }
                    record.contextMarkers().add(markers);
                    float[] out = new float[sample.size()];
                    int item = sample.itemSize();
                    for (int j = 0; j < out.length; j++) {
                        out[j] = callIndex >= nanFromCall && nanFromCall >= 0 ? Float.NaN
                                : 0.1f * sample.data()[j] + 0.001f * markers[j / item];
                    }
                    return sample.withData(out);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public int inChannels() {
            return 4;
        }

        @Override
        public int sampleSize() {
            return 8;
        }
    }

    /** Latents are the image averaged over 8x8 cells (first 3 channels plus their mean); decoding repeats them. */
    private static final class FakeVae implements AutoencoderNetwork {
        private final Runnable requireLoaded;

        FakeVae(Runnable requireLoaded) {
            this.requireLoaded = requireLoaded;
        }

        @Override
        public FloatTensor encodeLatents(FloatTensor image) {
            requireLoaded.run();
            int b = image.dim(0);
            int h = image.dim(2) / 8;
            int w = image.dim(3) / 8;
            float[] mean = new float[b * 4 * h * w];
            for (int n = 0; n < b; n++) {
                for (int y = 0; y < h * 8; y++) {
                    for (int x = 0; x < w * 8; x++) {
                        for (int c = 0; c < 3; c++) {
                            float v = image.data()[((n * 3 + c) * h * 8 + y) * w * 8 + x] / 64f;
                            mean[((n * 4 + c) * h + y / 8) * w + x / 8] += v;
                            mean[((n * 4 + 3) * h + y / 8) * w + x / 8] += v / 3;
                        }
                    }
                }
            }
            int[] shape = {b, 4, h, w};
            return new FloatTensor(mean, shape);
        }

        @Override
        public FloatTensor decode(FloatTensor latents) {
            requireLoaded.run();
            int b = latents.dim(0);
            int h = latents.dim(2);
            int w = latents.dim(3);
            float[] out = new float[b * 3 * h * 8 * w * 8];
            for (int n = 0; n < b; n++) {
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < h * 8; y++) {
                        for (int x = 0; x < w * 8; x++) {
                            out[((n * 3 + c) * h * 8 + y) * w * 8 + x] = latents.data()[((n * 4 + c) * h + y / 8) * w + x / 8];
                        }
                    }
                }
            }
            return new FloatTensor(out, new int[] {b, 3, h * 8, w * 8});
        }

        @Override
        public int latentChannels() {
            return 4;
        }

        @Override
        public int downscaleFactor() {
            return 8;
        }

        @Override
        public float scalingFactor() {
            return 0.18215f;
        }

        @Override
        public float shiftFactor() {
            return 0f;
        }
    }
}
