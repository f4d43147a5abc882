package io.github.sdm.unet.djl.clip;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/** The {@code fixtures/text_encoder} CLIP model and its reference file, loaded once per test class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TextEncoderFixture {
    final NDManager manager = NDManager.newBaseManager();
    final CLIPTextModel encoder = CLIPTextModel.load(TestData.fixture("text_encoder"), manager);
    final SafetensorsFile reference = SafetensorsFile.open(TestData.fixture("text_encoder/reference.safetensors"));

    @AfterAll
    void release() {
        reference.close();
        encoder.close();
        manager.close();
    }
}
