package io.github.sdm.core.testkit;

import static io.github.sdm.core.testkit.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.LatentDistribution;
import io.github.sdm.core.spi.ModelBackend;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.samplers.NoiseSource;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The reference cases every network backend must reproduce, run through the public API and the network SPI only,
 * so the same suite holds for DJL, ONNX Runtime or any later backend. A backend's module runs it with a subclass
 * naming the backend; its fixtures come from that module's test resources:
 *
 * <ul>
 *   <li>{@code fixtures/tiny-sd-pipe}: diffusers' end-to-end cases on {@link TestData#tinySd()} (txt2img with
 *       several samplers, guidance and negative prompts; img2img with strength), replayed with the recorded initial
 *       latents and noise: final latents within 1e-3, decoded images within 2e-3;</li>
 *   <li>{@code fixtures/text_encoder} and {@code fixtures/vae}: transformers' and diffusers' outputs of the tiny
 *       model's own text encoder and VAE (the same weight files, checked here), within 1e-4 of their peak.</li>
 * </ul>
 *
 * <p>A backend that reads another format runs the same cases on an export of the same weights
 * ({@link #modelFolder()}); one whose VAE encoder draws a sample instead of giving the distribution's mean names the
 * reason ({@link #randomEncoderReason()}), and the cases that need deterministic latents are skipped with it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendParitySuite {
    private static final Tolerance NETWORK = Tolerance.ofPeakAtLeastOne(1e-4);
    private static final Tolerance LATENTS = Tolerance.absolute(1e-3);
    private static final Tolerance IMAGE = Tolerance.absolute(2e-3);

    private StableDiffusion sd;
    private DiffusionNetworks networks;
    private SafetensorsFile pipeline;

    /** The backend under test, by its {@link ModelBackend#name()}. */
    protected abstract String backendName();

    /**
     * The model the cases run on: {@link TestData#tinySd()} by default, or an export of its weights in the format the
     * backend reads.
     */
    protected Path modelFolder() {
        return TestData.tinySd();
    }

    /**
     * Why the model's VAE encoder is not deterministic (it draws a sample inside the network), or empty when it gives
     * the distribution's mean; the img2img cases and the encoder check are skipped with this reason.
     */
    protected Optional<String> randomEncoderReason() {
        return Optional.empty();
    }

    /**
     * How close the text encoder's and the VAE's outputs must be: within 1e-4 of their peak, unless a model that
     * rounds somewhere (a half-precision boundary, say) states its own bound.
     */
    protected Tolerance networkTolerance() {
        return NETWORK;
    }

    /** How close each case's final latents must be: 1e-3 absolute unless the model states its own bound. */
    protected Tolerance latentTolerance() {
        return LATENTS;
    }

    /** How close each case's decoded image must be: 2e-3 absolute unless the model states its own bound. */
    protected Tolerance imageTolerance() {
        return IMAGE;
    }

    /** How the model is loaded; by default the defaults with this backend chosen. */
    protected LoadOptions loadOptions() {
        return LoadOptions.defaults().withBackend(backendName());
    }

    @BeforeAll
    void load() {
        sd = StableDiffusion.load(ModelLocation.folder(modelFolder()), loadOptions());
        networks = loadNetworks();
        pipeline = SafetensorsFile.open(TestData.fixture("tiny-sd-pipe/reference.safetensors"));
    }

    @AfterAll
    void close() throws Exception {
        pipeline.close();
        networks.close();
        sd.close();
    }

    @TestFactory
    Stream<DynamicTest> everyPipelineReferenceCase() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement element : readLenient(TestData.fixture("tiny-sd-pipe/reference.json")).getAsJsonArray()) {
            JsonObject c = element.getAsJsonObject();
            tests.add(DynamicTest.dynamicTest(c.get("id").getAsString() + " " + c.get("scheduler").getAsString(),
                    () -> runPipelineCase(c)));
        }
        return tests.stream();
    }

    @Test
    void fixtureNetworksAreTheModelFoldersOwn() throws IOException {
        skipIf(!modelFolder().equals(TestData.tinySd()), modelFolder() + " is an export of " + TestData.tinySd()
                + "'s weights, not the same files; the network checks compare it with the same references");
        for (String file : List.of("text_encoder/config.json", "text_encoder/model.safetensors", "vae/config.json",
                "vae/diffusion_pytorch_model.safetensors")) {
            assertEquals(-1L, Files.mismatch(TestData.fixture(file), TestData.tinySd().resolve(file)),
                    file + " of the fixtures and of " + TestData.tinySd() + " differ");
        }
    }

    @Test
    void textEncoderMatchesTransformers() {
        try (SafetensorsFile reference = SafetensorsFile.open(TestData.fixture("text_encoder/reference.safetensors"))) {
            long[] ids = reference.longs("input_ids");
            long[] idShape = reference.info("input_ids").shape();
            long[][] batch = new long[(int) idShape[0]][(int) idShape[1]];
            for (int b = 0; b < batch.length; b++) {
                System.arraycopy(ids, b * batch[b].length, batch[b], 0, batch[b].length);
            }
            assertClose("last_hidden_state", tensor(reference, "last_hidden_state"), encodeText(batch),
                    networkTolerance());
        }
    }

    @Test
    void vaeEncodesLikeDiffusers() {
        randomEncoderReason().ifPresent(reason -> skipIf(true, reason));
        try (SafetensorsFile reference = SafetensorsFile.open(TestData.fixture("vae/reference.safetensors"))) {
            FloatTensor image = tensor(reference, "image"); // in [0, 1]; the VAE takes [-1, 1]
            float[] scaled = image.data().clone();
            for (int i = 0; i < scaled.length; i++) {
                scaled[i] = scaled[i] * 2 - 1;
            }
            FloatTensor pixels = image.withData(scaled);
            // every backend's deterministic latents are the distribution's mean; the distribution is optional
            assertClose("latent_mean", tensor(reference, "latent_mean"), networks.vae().encodeLatents(pixels),
                    networkTolerance());
            networks.vae().encodeDistribution(pixels).ifPresent(latents -> {
                assertClose("latent_mean", tensor(reference, "latent_mean"), latents.mean(), networkTolerance());
                assertClose("latent_logvar", tensor(reference, "latent_logvar"), latents.logVariance(),
                        networkTolerance());
            });
        }
    }

    @Test
    void vaeDecodesLikeDiffusers() {
        try (SafetensorsFile reference = SafetensorsFile.open(TestData.fixture("vae/reference.safetensors"))) {
            assertClose("decoded", tensor(reference, "decoded"), networks.vae().decode(tensor(reference, "z")),
                    networkTolerance());
        }
    }

    /** The networks of the model folder, loaded by the backend under test through the SPI. */
    private DiffusionNetworks loadNetworks() {
        for (ModelBackend backend : ServiceLoader.load(ModelBackend.class)) {
            if (backend.name().equals(backendName())) {
                return backend.load(ModelLocation.folder(modelFolder()), loadOptions());
            }
        }
        throw new IllegalStateException("no backend named '" + backendName() + "' on the class path");
    }

    /** The text encoder's last hidden state for padded token ids (the one SPI text call of the suite). */
    private FloatTensor encodeText(long[][] inputIds) {
        return networks.textEncoder().encode(inputIds).hiddenStates();
    }

    private void runPipelineCase(JsonObject c) {
        String id = c.get("id").getAsString();
        String prompt = c.get("prompt").getAsString();
        GenerationBuilder builder;
        List<float[]> noise = new ArrayList<>();
        if (c.get("mode").getAsString().equals("img2img")) {
            randomEncoderReason().ifPresent(reason -> skipIf(true, id + ": " + reason));
            builder = sd.img2img(tensor(pipeline, id + ".init_image"), prompt).strength(c.get("strength").getAsDouble());
            noise.add(tensor(pipeline, id + ".noise").data());
        } else {
            builder = sd.txt2img(prompt).initialLatents(tensor(pipeline, id + ".initial_latents"))
                    .size(c.get("width").getAsInt(), c.get("height").getAsInt());
        }
        for (int j = 0; pipeline.contains(id + ".noise." + j); j++) {
            noise.add(tensor(pipeline, id + ".noise." + j).data());
        }
        builder.sampler(c.get("scheduler").getAsString()).negativePrompt(c.get("negative_prompt").getAsString())
                .steps(c.get("steps").getAsInt()).guidance(c.get("guidance_scale").getAsDouble())
                .noiseSource(recorded(noise));
        for (Map.Entry<String, JsonElement> field : c.getAsJsonObject("scheduler_config").entrySet()) {
            builder.samplerOption(field.getKey(), field.getValue());
        }
        GenerationResult result = builder.generate();

        if (c.has("timesteps")) {
            double[] expected = new double[c.getAsJsonArray("timesteps").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = c.getAsJsonArray("timesteps").get(i).getAsDouble();
            }
            assertArrayEquals(expected, result.timesteps(), id + " timesteps");
        }
        assertClose(id + " final latents", tensor(pipeline, id + ".final_latents"), result.finalLatents(), latentTolerance());
        assertClose(id + " image", tensor(pipeline, id + ".image"), result.decoded(), imageTolerance());
    }

    /** Skips the running test when {@code skip} holds, printing the reason (JUnit reports it too). */
    private void skipIf(boolean skip, String reason) {
        if (skip) {
            System.out.println(getClass().getSimpleName() + ": skipped: " + reason);
            Assumptions.abort(reason);
        }
    }

    /** Replays the noise diffusers drew, in order, and fails if the pipeline asks for more. */
    private static NoiseSource recorded(List<float[]> draws) {
        List<float[]> queue = new ArrayList<>(draws);
        return out -> {
            if (queue.isEmpty()) {
                throw new AssertionError("the pipeline drew more noise than diffusers did");
            }
            float[] next = queue.remove(0);
            assertEquals(next.length, out.length, "noise draw size");
            System.arraycopy(next, 0, out, 0, out.length);
        };
    }

    private static FloatTensor tensor(SafetensorsFile file, String name) {
        return new FloatTensor(file.floats(name), file.info(name).intShape());
    }

    private static JsonElement readLenient(Path path) throws IOException {
        try (Reader reader = Files.newBufferedReader(path); JsonReader json = new JsonReader(reader)) {
            json.setStrictness(Strictness.LENIENT); // the configs hold -Infinity (lambda_min_clipped)
            return JsonParser.parseReader(json);
        }
    }
}
