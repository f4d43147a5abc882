package io.github.sdm.inheritance.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.model.Residency;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import io.github.sdm.core.safetensors.SafetensorsWriter;
import io.github.sdm.core.safetensors.TensorSource;
import io.github.sdm.core.testkit.Close;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import io.github.sdm.inheritance.FeatureInheritance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feature inheritance ({@code deepcache}) on built graphs whose weights are held in another precision or have a LoRA
 * merged, and under per-stage residency: the UNet's variants read the loaded graph's weights as they are held (int8
 * values and scales, float16 values, LoRA merged), so the DJL backend's same configuration gives the same final latents
 * within the backends' tolerance, where the configuration itself moves them far beyond it; per stage, the variants'
 * sessions close with the UNet and open again on its reloaded weights, so generations in turn and at once compute
 * what a resident model computes, bit for bit.
 */
class BuiltGraphInheritanceCombinationsTest {
    /** The tolerance the backends' plain generations are held to ({@code BackendParitySuite}). */
    private static final Tolerance LATENTS = Tolerance.absolute(1e-3);
    /** A configuration's effect on the latents must exceed the tolerance this many times for the check to bite. */
    private static final double EFFECT_OVER_TOLERANCE = 100;
    private static final LoadOptions DJL = LoadOptions.defaults();
    private static final LoadOptions ONNX = LoadOptions.defaults().withBackend("onnx");
    private static final String DEEPCACHE = "deepcache";
    private static float[] fp32Deepcache;

    @TempDir
    static Path temp;
    private static Path lora;

    @BeforeAll
    static void referenceAndAdapter() {
        fp32Deepcache = latents(ONNX, 5);
        lora = writeLora(temp.resolve("attention-lora.safetensors"));
    }

    /**
     * A diffusers-format LoRA (rank 4, random factors) on every attention's query, value and output projection of
     * the tiny model's UNet, shallow (kept by the reuse variants) and deep (pruned from them) alike; the shapes are
     * the UNet's own.
     */
    private static Path writeLora(Path file) {
        int rank = 4;
        Random random = new Random(3);
        List<TensorSource> tensors = new ArrayList<>();
        try (SafetensorsWeights unet = SafetensorsWeights.openComponent(TestData.tinySd().resolve("unet"))) {
            for (String key : unet.names().stream().sorted().toList()) {
                if (key.matches(".*\\.attn[12]\\.to_(q|v|out\\.0)\\.weight")) {
                    long[] shape = unet.info(key).shape(); // [out, in]
                    String part = "unet." + key.substring(0, key.length() - ".weight".length());
                    tensors.add(TensorSource.ofFloats(part + ".lora_A.weight", DType.F32,
                            gaussian(random, rank * shape[1]), rank, shape[1]));
                    tensors.add(TensorSource.ofFloats(part + ".lora_B.weight", DType.F32,
                            gaussian(random, shape[0] * rank), shape[0], rank));
                }
            }
        }
        assertTrue(tensors.size() >= 2 * 3 * 2 * 7, "the tiny UNet has 7 transformers of 2 attentions: " + tensors.size());
        SafetensorsWriter.write(file, tensors);
        return file;
    }

    private static float[] gaussian(Random random, long count) {
        float[] out = new float[Math.toIntExact(count)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (0.2 * random.nextGaussian());
        }
        return out;
    }

    private static float[] latents(LoadOptions options, int seed) {
        try (StableDiffusion sd = StableDiffusion.load(TestData.tinySd(), options)) {
            return latents(sd, seed);
        }
    }

    private static float[] latents(StableDiffusion sd, int seed) {
        return sd.txt2img("a red apple").negativePrompt("blurry").steps(6).sampler("dpmpp_2m").seed(seed)
                .with(FeatureInheritance.parse(DEEPCACHE)).generate().finalLatents().data();
    }

    /**
     * Deepcache on the djl backend with {@code djl} and on the built graphs with {@code onnx}: within
     * {@code tolerance}, while the configuration moves the built graphs' latents far beyond it.
     */
    private static void assertBackendsAgree(String what, LoadOptions djl, LoadOptions onnx, Tolerance tolerance) {
        float[] built = latents(onnx, 5);
        Close.assertClose(what + ": built graphs against the djl backend", latents(djl, 5), built, tolerance);
        double effect = maxDifference(fp32Deepcache, built);
        double bound = tolerance.bound(built);
        assertTrue(effect > EFFECT_OVER_TOLERANCE * bound, what + " moves the latents by " + effect
                + ", not far enough beyond the tolerance " + bound + " for the comparison to bite");
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /**
     * Both backends quantize alike (per output channel, {@code max|w| / 127}): the variants must read the int8 values
     * and their scales. Measured: 3.3e-4 apart, int8 moving the latents by 0.76 (peak 60).
     */
    @Test
    void deepcacheOnInt8WeightsMatchesTheDjlBackend() {
        assertBackendsAgree("int8 weights", DJL.withWeightPrecision(Precision.INT8)
                .withComputePrecision(Precision.FP32), ONNX.withWeightPrecision(Precision.INT8), LATENTS);
    }

    /** Measured: 1.7e-4 apart, the adapter moving the latents by 4.3. */
    @Test
    void deepcacheWithALoraMatchesTheDjlBackend() {
        assertBackendsAgree("LoRA", DJL.withLora(lora, 1.0), ONNX.withLora(lora, 1.0), LATENTS);
    }

    /**
     * The djl backend holds every weight in float16, the built graphs only the linear and convolution weights, so the
     * two differ by float16 rounding (measured 0.018 apart, float16 moving the latents by 0.025): the float16 weight
     * parity bound ({@code OnnxBuiltFp16WeightsParityTest}) applies. That the variants read exactly the loaded graph's
     * float16 weights is {@code OnnxUNetVariantsStorageTest}'s check.
     */
    @Test
    void deepcacheOnFloat16WeightsWithALoraMatchesTheDjlBackendWithinTheFloat16Bound() {
        Tolerance fp16 = Tolerance.ofPeakAtLeastOne(2e-3);
        float[] built = latents(ONNX.withWeightPrecision(Precision.FP16).withLora(lora, 1.0), 5);
        Close.assertClose("float16 weights, LoRA: built graphs against the djl backend", latents(DJL
                .withWeightPrecision(Precision.FP16).withComputePrecision(Precision.FP32).withLora(lora, 1.0), 5),
                built, fp16);
        assertTrue(maxDifference(fp32Deepcache, built) > 10 * fp16.bound(built), "the adapter must show");
    }

    /**
     * Per stage, every generation's end releases the UNet (its variants' sessions first) and the next loads it again;
     * the variants open again on the new weights. Two generations in turn, then three at once, against a resident
     * model's, bit for bit.
     */
    @Test
    void perStageResidencyAcrossGenerationsIsTheResidentModelBitForBit() throws Exception {
        // int8: the variants must find the values and the scales again after each reload (the core refuses
        // PER_STAGE with adapters merged at load, on every backend)
        LoadOptions options = ONNX.withWeightPrecision(Precision.INT8);
        int[] seeds = {5, 6, 7};
        List<float[]> resident = new ArrayList<>();
        try (StableDiffusion sd = StableDiffusion.load(TestData.tinySd(), options)) {
            for (int seed : seeds) {
                resident.add(latents(sd, seed));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(seeds.length);
        try (StableDiffusion sd = StableDiffusion.load(TestData.tinySd(), options.withResidency(Residency.PER_STAGE))) {
            assertArrayEquals(resident.get(0), latents(sd, seeds[0]), "first generation");
            assertArrayEquals(resident.get(1), latents(sd, seeds[1]), "second generation, on the UNet loaded again");
            List<Future<float[]>> runs = new ArrayList<>();
            for (int seed : seeds) {
                runs.add(pool.submit(() -> latents(sd, seed)));
            }
            for (int i = 0; i < seeds.length; i++) {
                assertArrayEquals(resident.get(i), runs.get(i).get(), "generation at once, seed " + seeds[i]);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
