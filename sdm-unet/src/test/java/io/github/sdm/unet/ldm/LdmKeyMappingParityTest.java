package io.github.sdm.unet.ldm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.safetensors.TensorInfo;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The single-file checkpoint {@code tiny-sd15.safetensors} (written by diffusers' own conversion script from
 * {@code models/tiny-sd}) seen through each network's key mapping must be exactly the diffusers folder's
 * weights: the same key set, and per key the same dtype, shape and bytes.
 */
class LdmKeyMappingParityTest {

    static Stream<Arguments> networks() {
        Path model = TestData.tinySd();
        return Stream.of(
                Arguments.of("unet", model.resolve("unet/diffusion_pytorch_model.safetensors"),
                        (Function<LdmCheckpoint, WeightSource>) c ->
                                c.unet(LdmUNetLayout.read(model.resolve("unet/config.json")))),
                Arguments.of("vae", model.resolve("vae/diffusion_pytorch_model.safetensors"),
                        (Function<LdmCheckpoint, WeightSource>) c ->
                                c.vae(AutoencoderKLConfig.read(model.resolve("vae/config.json")))),
                Arguments.of("text_encoder", model.resolve("text_encoder/model.safetensors"),
                        (Function<LdmCheckpoint, WeightSource>) c ->
                                c.textEncoder(CLIPTextConfig.read(model.resolve("text_encoder/config.json")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void mappedSingleFileEqualsDiffusersFolder(String network, Path diffusersFile,
            Function<LdmCheckpoint, WeightSource> view) {
        try (LdmCheckpoint checkpoint = LdmCheckpoint.open(TestData.fixture("ldm-single-file/tiny-sd15.safetensors"));
                SafetensorsFile diffusers = SafetensorsFile.open(diffusersFile)) {
            WeightSource mapped = view.apply(checkpoint);
            Set<String> missing = new TreeSet<>(diffusers.names());
            missing.removeAll(mapped.names());
            Set<String> extra = new TreeSet<>(mapped.names());
            extra.removeAll(diffusers.names());
            assertTrue(missing.isEmpty() && extra.isEmpty(),
                    network + ": diffusers keys not produced by the mapping: " + missing
                            + "; mapped keys not in diffusers: " + extra);
            for (String key : diffusers.names()) {
                TensorInfo expected = diffusers.info(key);
                TensorInfo actual = mapped.info(key);
                assertEquals(expected.dtype(), actual.dtype(), key + ": dtype");
                assertArrayEquals(expected.shape(), actual.shape(), key + ": shape");
                assertEquals(diffusers.bytes(key), mapped.bytes(key), key + ": bytes");
            }
            assertTrue(diffusers.names().size() > 30, network + ": suspiciously few keys compared");
        }
    }
}
