package io.github.sdm.core;

import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.spi.DenoiserNetwork;
import io.github.sdm.core.spi.DenoiserSession;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.LatentDistribution;
import io.github.sdm.core.spi.ModelBackend;
import io.github.sdm.core.spi.TextEncoderNetwork;
import io.github.sdm.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain-Java stand-in networks, so the pipeline's own logic (batch layout, guidance, seeds, progress,
 * cancellation, errors) is tested without native code. The UNet records what it was called with.
 */
public final class FakeBackend implements ModelBackend {
    /** Every UNet call of the last session: the sample and context batch sizes and the first context value per entry. */
    static final List<int[]> CALLS = new ArrayList<>();
    static final List<float[]> CONTEXT_MARKERS = new ArrayList<>();
    /** When set, the UNet returns NaN from this call index on. */
    static volatile int nanFromCall = -1;

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public boolean canLoad(ModelLocation location) {
        return true;
    }

    @Override
    public DiffusionNetworks load(ModelLocation location, LoadOptions options) {
        return new DiffusionNetworks() {
            @Override
            public TextEncoderNetwork textEncoder() {
                return ids -> {
                    // one 77x2 embedding per prompt whose values identify the prompt (its token sum)
                    float[] out = new float[ids.length * 77 * 2];
                    for (int b = 0; b < ids.length; b++) {
                        long sum = 0;
                        for (long id : ids[b]) {
                            sum += id;
                        }
                        java.util.Arrays.fill(out, b * 154, (b + 1) * 154, sum % 1000);
                    }
                    return new FloatTensor(out, new int[] {ids.length, 77, 2});
                };
            }

            @Override
            public DenoiserNetwork unet() {
                return new FakeUnet();
            }

            @Override
            public AutoencoderNetwork vae() {
                return new FakeVae();
            }

            @Override
            public void close() {
            }
        };
    }

    private static final class FakeUnet implements DenoiserNetwork {
        @Override
        public DenoiserSession openSession(DenoiserSessionOptions options) {
            CALLS.clear();
            CONTEXT_MARKERS.clear();
            return new DenoiserSession() {
                @Override
                public FloatTensor predict(FloatTensor sample, double timestep, int callIndex, FloatTensor context) {
                    CALLS.add(new int[] {sample.dim(0), context.dim(0)});
                    float[] markers = new float[context.dim(0)];
                    for (int b = 0; b < markers.length; b++) {
                        markers[b] = context.data()[b * context.itemSize()];
                    }
                    CONTEXT_MARKERS.add(markers);
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
        @Override
        public LatentDistribution encode(FloatTensor image) {
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
            return new LatentDistribution(new FloatTensor(mean, shape), FloatTensor.zeros(shape));
        }

        @Override
        public FloatTensor decode(FloatTensor latents) {
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
        public float scalingFactor() {
            return 0.18215f;
        }
    }
}
