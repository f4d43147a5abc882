package io.github.sdm.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.testkit.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sdm quantize}: the int8 weight file of each network, listed; a folder that is no model is refused. */
class QuantizeCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesAndListsEachNetworksInt8File() throws IOException {
        Path model = TestData.copy(TestData.tinySd(), dir.resolve("tiny-sd"));
        CliRunner.Result r = CliRunner.run("quantize", "--model", model.toString());
        assertEquals(0, r.code(), r.err());
        for (String file : new String[] {"text_encoder/model.int8.safetensors",
            "unet/diffusion_pytorch_model.int8.safetensors", "vae/diffusion_pytorch_model.int8.safetensors"}) {
            assertTrue(Files.isRegularFile(model.resolve(file)), file);
            assertTrue(r.out().contains(model.resolve(file).toString()), r.out());
        }
        assertTrue(r.out().contains("quantized 3 networks"), r.out());
    }

    @Test
    void aFolderWithoutAModelIsRefusedNamingIt() {
        CliRunner.Result r = CliRunner.run("quantize", "--model", dir.toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("no model_index.json") && r.err().contains(dir.toString()), r.err());
    }
}
