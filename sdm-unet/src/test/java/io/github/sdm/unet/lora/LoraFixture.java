package io.github.sdm.unet.lora;

import static io.github.sdm.core.testkit.Close.assertClose;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fixtures/tiny-lora}, for every backend's LoRA tests: the txt2img cases of {@code reference.json} (file,
 * multiplier, scheduler, prompt, steps, guidance, size) and diffusers' results with the adapter merged, from
 * {@code reference.safetensors}, which this holds open until {@link #close()}.
 */
public final class LoraFixture implements AutoCloseable {
    private final SafetensorsFile reference = SafetensorsFile.open(TestData.fixture("tiny-lora/reference.safetensors"));

    /** The cases of {@code reference.json}, in order. */
    public static List<JsonObject> cases() throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(TestData.fixture("tiny-lora/reference.json")))
                .getAsJsonObject();
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("cases")) {
            out.add(e.getAsJsonObject());
        }
        return out;
    }

    /** The first case whose multiplier is not 0. */
    public static JsonObject firstAdaptedCase() throws IOException {
        return cases().stream().filter(c -> multiplier(c) != 0).findFirst().orElseThrow();
    }

    public static String id(JsonObject c) {
        return c.get("id").getAsString();
    }

    public static double multiplier(JsonObject c) {
        return c.get("multiplier").getAsDouble();
    }

    /** The case's LoRA file. */
    public static Path file(JsonObject c) {
        return TestData.fixture("tiny-lora/" + c.get("lora_file").getAsString());
    }

    /** The case's request on {@code sd}, from diffusers' initial latents, without the adapter. */
    public GenerationBuilder generate(StableDiffusion sd, JsonObject c) {
        return sd.txt2img(c.get("prompt").getAsString()).initialLatents(tensor(id(c) + ".initial_latents"))
                .size(c.get("width").getAsInt(), c.get("height").getAsInt())
                .sampler(c.get("scheduler").getAsString()).negativePrompt(c.get("negative_prompt").getAsString())
                .steps(c.get("steps").getAsInt()).guidance(c.get("guidance_scale").getAsDouble());
    }

    /** The final latents and, where {@code image} is not null, the image against diffusers'. */
    public void check(JsonObject c, GenerationResult result, Tolerance latents, Tolerance image) {
        assertClose(id(c) + " final latents", tensor(id(c) + ".final_latents"), result.finalLatents(), latents);
        if (image != null) {
            assertClose(id(c) + " image", tensor(id(c) + ".image"), result.decoded(), image);
        }
    }

    private FloatTensor tensor(String name) {
        return new FloatTensor(reference.floats(name), reference.info(name).intShape());
    }

    @Override
    public void close() {
        reference.close();
    }
}
