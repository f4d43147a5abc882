package io.github.sdm.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.samplers.NoiseSource;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of diffusers' end-to-end reference (txt2img with several samplers, guidance and negative
 * prompts; img2img with strength) run through the public API with the recorded initial latents and noise.
 */
class PipelineParityTest {
    static final Path MODEL = Path.of("../models/tiny-sd");
    static final Path REFERENCE = Path.of("src/test/resources/fixtures/tiny-sd-pipe");

    private static StableDiffusion sd;
    private static SafetensorsFile tensors;

    @BeforeAll
    static void load() {
        sd = StableDiffusion.load(MODEL);
        tensors = SafetensorsFile.open(REFERENCE.resolve("reference.safetensors"));
    }

    @AfterAll
    static void close() {
        sd.close();
        tensors.close();
    }

    @TestFactory
    Stream<DynamicTest> everyReferenceCase() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement element : readLenient(REFERENCE.resolve("reference.json")).getAsJsonArray()) {
            JsonObject c = element.getAsJsonObject();
            tests.add(DynamicTest.dynamicTest(c.get("id").getAsString() + " " + c.get("scheduler").getAsString(),
                    () -> runCase(c)));
        }
        return tests.stream();
    }

    private void runCase(JsonObject c) {
        String id = c.get("id").getAsString();
        String prompt = c.get("prompt").getAsString();
        GenerationBuilder builder;
        List<float[]> noise = new ArrayList<>();
        if (c.get("mode").getAsString().equals("img2img")) {
            builder = sd.img2img(tensor(id + ".init_image"), prompt).strength(c.get("strength").getAsDouble());
            noise.add(tensor(id + ".noise").data());
        } else {
            builder = sd.txt2img(prompt).initialLatents(tensor(id + ".initial_latents"))
                    .size(c.get("width").getAsInt(), c.get("height").getAsInt());
        }
        for (int j = 0; tensors.contains(id + ".noise." + j); j++) {
            noise.add(tensor(id + ".noise." + j).data());
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
        assertClose(tensor(id + ".final_latents"), result.finalLatents(), 1e-3, id + " final latents");
        assertClose(tensor(id + ".image"), result.decoded(), 2e-3, id + " image");
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

    private static FloatTensor tensor(String name) {
        return new FloatTensor(tensors.floats(name), tensors.info(name).intShape());
    }

    static void assertClose(FloatTensor expected, FloatTensor actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.size(); i++) {
            double d = Math.abs(expected.data()[i] - actual.data()[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        if (worst > tolerance || Double.isNaN(worst)) {
            throw new AssertionError(what + ": max abs difference " + worst + " at element " + at + " (expected "
                    + expected.data()[at] + ", got " + actual.data()[at] + "), tolerance " + tolerance);
        }
    }

    private static JsonElement readLenient(Path path) throws IOException {
        try (Reader reader = Files.newBufferedReader(path); JsonReader json = new JsonReader(reader)) {
            json.setLenient(true); // the configs hold -Infinity (lambda_min_clipped)
            return JsonParser.parseReader(json);
        }
    }
}
