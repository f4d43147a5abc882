package io.github.sdm.samplers;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One recorded diffusers sampling run (fixtures/schedulers/NAME-STEPS.json, see the fixtures README). */
record SchedulerFixture(
        String fileName,
        String schedulerClass,
        JsonObject config,
        JsonObject stepKwargs,
        int numInferenceSteps,
        double initNoiseSigma,
        double[] timesteps,
        double[] sigmas,
        float[] initialSample,
        float[] c,
        List<Step> steps,
        float[] finalSample) {

    record Step(double timestep, float[] modelInput, float[] modelOutput, List<float[]> noise, float[] prevSample) {
    }

    static SchedulerFixture read(Path file) throws IOException {
        JsonObject root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonReader reader = new JsonReader(in);
            reader.setStrictness(Strictness.LENIENT); // configs hold -Infinity
            root = JsonParser.parseReader(reader).getAsJsonObject();
        }
        List<Step> steps = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("steps")) {
            JsonObject s = e.getAsJsonObject();
            List<float[]> noise = new ArrayList<>();
            for (JsonElement draw : s.getAsJsonArray("noise")) {
                noise.add(flatten(draw));
            }
            steps.add(new Step(s.get("timestep").getAsDouble(), flatten(s.get("model_input")),
                    flatten(s.get("model_output")), noise, flatten(s.get("prev_sample"))));
        }
        return new SchedulerFixture(file.getFileName().toString(), root.get("class").getAsString(),
                root.getAsJsonObject("config"), root.getAsJsonObject("step_kwargs"),
                root.get("num_inference_steps").getAsInt(), root.get("init_noise_sigma").getAsDouble(),
                doubles(root.getAsJsonArray("timesteps")), doubles(root.getAsJsonArray("sigmas")),
                flatten(root.get("initial_sample")), flatten(root.get("c")), steps, flatten(root.get("final_sample")));
    }

    /** The configuration the sampler is built from: the recorded config plus the recorded step arguments. */
    SamplerConfig samplerConfig() {
        SamplerConfig base = SamplerConfig.of(config);
        JsonObject kwargs = stepKwargs;
        for (Map.Entry<String, JsonElement> e : kwargs.entrySet()) {
            base = base.with(e.getKey(), e.getValue());
        }
        return base;
    }

    private static double[] doubles(JsonArray array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsDouble();
        }
        return out;
    }

    /** A nested list tensor, row-major. */
    static float[] flatten(JsonElement tensor) {
        List<Float> values = new ArrayList<>();
        collect(tensor, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void collect(JsonElement e, List<Float> into) {
        if (e.isJsonArray()) {
            for (JsonElement child : e.getAsJsonArray()) {
                collect(child, into);
            }
        } else {
            into.add((float) e.getAsDouble());
        }
    }
}
