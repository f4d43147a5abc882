package io.github.sdm.unet.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.Close;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.Fixtures;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.graph.AutoencoderGraphs;
import io.github.sdm.unet.graph.BuiltGraph;
import io.github.sdm.unet.graph.ClipTextGraph;
import io.github.sdm.unet.graph.UNetGraph;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The graphs sdm builds ({@code unet.graph}), run on ONNX Runtime, against the same PyTorch references the DJL networks
 * are held to ({@code fixtures/unet-*}, {@code fixtures/vae}, {@code fixtures/text_encoder}), within the network
 * tolerance; inputs and shapes come from the reference files.
 */
class BuiltGraphParityTest {
    private final GraphSettings settings = GraphSettings.of(LoadOptions.defaults());

    @ParameterizedTest
    @ValueSource(strings = {"unet-sd15", "unet-sd2", "unet-small"})
    void unetMatchesDiffusers(String fixture) throws OrtException {
        Path folder = TestData.fixture(fixture);
        try (SafetensorsFile weights = SafetensorsFile.open(folder.resolve("diffusion_pytorch_model.safetensors"));
                SafetensorsFile reference = SafetensorsFile.open(folder.resolve("reference.safetensors"))) {
            BuiltGraph graph = UNetGraph.build(UNetConfig.read(folder.resolve("config.json")), WeightSource.of(weights));
            FloatTensor out = run(graph, folder, reference, "out_sample", "sample", "timestep", "encoder_hidden_states");
            assertMatches(reference, "out_sample", out);
        }
    }

    @Test
    void vaeDecoderAndEncoderMatchDiffusers() throws OrtException {
        Path folder = TestData.fixture("vae");
        AutoencoderKLConfig config = AutoencoderKLConfig.read(folder.resolve("config.json"));
        try (SafetensorsFile weights = SafetensorsFile.open(folder.resolve("diffusion_pytorch_model.safetensors"));
                SafetensorsFile reference = SafetensorsFile.open(folder.resolve("reference.safetensors"))) {
            WeightSource source = WeightSource.of(weights);
            BuiltGraph decoder = AutoencoderGraphs.decoder(config, source);
            try (OnnxGraph graph = settings.open(decoder, folder.resolve("decoder"));
                    OnnxTensor z = floats(reference, "z")) {
                assertMatches(reference, "decoded", graph.run(Map.of("latent_sample", z), "sample"));
            }
            // the fixture encodes 2 * image - 1, as the pipeline feeds the encoder
            float[] image = reference.floats("image");
            for (int i = 0; i < image.length; i++) {
                image[i] = 2 * image[i] - 1;
            }
            BuiltGraph encoder = AutoencoderGraphs.encoder(config, source);
            try (OnnxGraph graph = settings.open(encoder, folder.resolve("encoder"));
                    OnnxTensor x = OnnxTensor.createTensor(settings.environment(), FloatBuffer.wrap(image),
                            reference.info("image").shape())) {
                FloatTensor parameters = graph.run(Map.of("sample", x), "latent_parameters");
                int half = parameters.size() / 2;
                int[] shape = reference.info("latent_mean").intShape();
                assertMatches(reference, "latent_mean",
                        new FloatTensor(java.util.Arrays.copyOfRange(parameters.data(), 0, half), shape));
                assertMatches(reference, "latent_logvar",
                        new FloatTensor(java.util.Arrays.copyOfRange(parameters.data(), half, 2 * half), shape));
            }
        }
    }

    @Test
    void textEncoderMatchesTransformers() throws OrtException {
        Path folder = TestData.fixture("text_encoder");
        try (SafetensorsFile weights = SafetensorsFile.open(folder.resolve("model.safetensors"));
                SafetensorsFile reference = SafetensorsFile.open(folder.resolve("reference.safetensors"))) {
            BuiltGraph built = ClipTextGraph.build(CLIPTextConfig.read(folder.resolve("config.json")),
                    WeightSource.of(weights));
            try (OnnxGraph graph = settings.open(built, folder.resolve("text encoder"));
                    OnnxTensor ids = OnnxTensor.createTensor(settings.environment(),
                            LongBuffer.wrap(reference.longs("input_ids")), reference.info("input_ids").shape())) {
                assertMatches(reference, "last_hidden_state", graph.run(Map.of("input_ids", ids), "last_hidden_state"));
            }
        }
    }

    private FloatTensor run(BuiltGraph built, Path folder, SafetensorsFile reference, String output, String... inputs)
            throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try (OnnxGraph graph = settings.open(built, folder)) {
            for (String input : inputs) {
                feeds.put(input, floats(reference, input));
            }
            return graph.run(feeds, output);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor floats(SafetensorsFile reference, String name) throws OrtException {
        return OnnxTensor.createTensor(settings.environment(), FloatBuffer.wrap(reference.floats(name)),
                reference.info(name).shape());
    }

    private static void assertMatches(SafetensorsFile reference, String name, FloatTensor actual) {
        Close.assertClose(name, new FloatTensor(reference.floats(name), reference.info(name).intShape()), actual,
                Fixtures.NETWORK);
    }
}
