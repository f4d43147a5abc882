package io.github.sdm.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.perf.ToolOptions;
import io.github.sdm.bench.report.MemoryUsage;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.AutoencoderTinyConfig;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import io.github.sdm.unet.djl.vae.AutoencoderTiny;
import java.util.function.UnaryOperator;

/**
 * {@code sdm bench tool vae-decode vae=kl|taesd size=512 calls=3}: one VAE with random weights of its real
 * config (SD 1.5's {@code AutoencoderKL} or the published TAESD), decoding seeded latents {@code calls} times;
 * prints each call's time and the process's peak resident memory after loading and after the calls. Run each
 * VAE in its own JVM: peak RSS is per process.
 */
public final class VaeDecodeMeasurement {
    private VaeDecodeMeasurement() {
    }

    public static void main(String[] args) {
        ToolOptions o = ToolOptions.parse(args);
        String kind = o.text("vae", "kl");
        int size = o.integer("size", 512);
        int calls = o.integer("calls", 3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Network network;
            UnaryOperator<NDArray> decode;
            if (kind.equals("kl")) {
                AutoencoderKL vae = AutoencoderKL.random(AutoencoderKLConfig.stableDiffusion15(), 1234, manager);
                network = vae;
                decode = z -> vae.decode(z, ForwardContext.DEFAULT);
            } else if (kind.equals("taesd")) {
                AutoencoderTiny vae = AutoencoderTiny.random(AutoencoderTinyConfig.taesd(), 1234, manager);
                network = vae;
                decode = z -> vae.decode(z, ForwardContext.DEFAULT);
            } else {
                throw new IllegalArgumentException("vae must be kl or taesd, got '" + kind + "'");
            }
            int latent = size / 8;
            manager.getEngine().setRandomSeed(7);
            NDArray z = manager.randomNormal(new Shape(1, 4, latent, latent));
            long parameters = network.allParameters().values().stream().mapToLong(p -> {
                long n = 1;
                for (long d : p.shape()) {
                    n *= d;
                }
                return n;
            }).sum();
            System.out.printf("vae %s, %d parameters, %dx%d, peak RSS after load %.0f MiB%n", kind, parameters, size,
                    size, mib(MemoryUsage.current().peakResidentBytes()));
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                NDArray image = decode.apply(z);
                image.toFloatArray();
                image.close();
                System.out.printf("call %d: %.3f s%n", i + 1, (System.nanoTime() - start) / 1e9);
            }
            System.out.printf("peak RSS after %d calls: %.0f MiB%n", calls, mib(MemoryUsage.current().peakResidentBytes()));
            network.close();
        }
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
