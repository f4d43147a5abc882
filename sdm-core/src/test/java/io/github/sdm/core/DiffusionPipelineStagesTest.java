package io.github.sdm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sdm.core.error.GenerationCancelledException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelFolder;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Residency;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.tokenizer.ClipTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pipeline reports its stages and steps to a listener and stops when its run control says so. */
class DiffusionPipelineStagesTest {
    private static DiffusionNetworks networks;
    private static DiffusionPipeline pipeline;

    @BeforeAll
    static void build() {
        ModelFolder folder = ModelFolder.open(TestData.tinySd());
        networks = new FakeBackend().load(ModelLocation.folder(folder.root()), LoadOptions.defaults());
        pipeline = new DiffusionPipeline(networks,
                new PromptEncoder(ClipTokenizer.load(folder.tokenizerPath()), networks.textEncoder()),
                new SamplerFactory(folder.schedulerConfig().json()),
                new StageResidency(Residency.RESIDENT, networks));
    }

    @AfterAll
    static void close() {
        networks.close();
    }

    /** Records "+STAGE", "-STAGE" and "step N/T". */
    private static final class Recorder implements StageListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void stageStarted(Stage stage) {
            if (stage != Stage.NETWORK_RESIDENCY) {
                events.add("+" + stage);
            }
        }

        @Override
        public void stageFinished(Stage stage) {
            if (stage != Stage.NETWORK_RESIDENCY) {
                events.add("-" + stage);
            }
        }

        @Override
        public void stepFinished(int step, int totalSteps, double timestep) {
            events.add("step " + step + "/" + totalSteps);
        }
    }

    private static List<String> step(int n, int total) {
        return List.of("+SAMPLER", "-SAMPLER", "+UNET_CALL", "-UNET_CALL", "+SAMPLER", "-SAMPLER",
                "step " + n + "/" + total);
    }

    @Test
    void txt2imgStagesRunInDiffusersOrder() {
        Recorder recorder = new Recorder();
        pipeline.run(GenerationRequest.builder(Mode.TXT2IMG, "a cat").steps(2).sampler("ddim").seed(1L).build(),
                RunControl.UNCANCELLABLE, recorder);
        List<String> expected = new ArrayList<>(List.of("+TEXT_ENCODING", "-TEXT_ENCODING"));
        expected.addAll(step(1, 2));
        expected.addAll(step(2, 2));
        expected.addAll(List.of("+IMAGE_DECODING", "-IMAGE_DECODING"));
        assertEquals(expected, recorder.events);
    }

    @Test
    void img2imgEncodesTheImageAfterThePrompt() {
        Recorder recorder = new Recorder();
        GenerationRequest request = GenerationRequest.builder(Mode.IMG2IMG, "a cat").steps(2).strength(1.0)
                .sampler("ddim").seed(1L).initImage(FloatTensor.zeros(1, 3, 16, 16)).build();
        pipeline.run(request, RunControl.UNCANCELLABLE, recorder);
        assertEquals(List.of("+TEXT_ENCODING", "-TEXT_ENCODING", "+IMAGE_ENCODING", "-IMAGE_ENCODING", "+SAMPLER"),
                recorder.events.subList(0, 5));
    }

    @Test
    void perStageEachNetworkIsLoadedForItsStageAndReleasedAfterIt() {
        Recorder recorder = new Recorder();
        DiffusionPipeline perStage = perStagePipeline(recorder);
        perStage.run(GenerationRequest.builder(Mode.TXT2IMG, "a cat").steps(2).sampler("ddim").seed(1L).build(),
                RunControl.UNCANCELLABLE, recorder);
        List<String> expected = new ArrayList<>(List.of("load TEXT_ENCODER", "+TEXT_ENCODING", "-TEXT_ENCODING",
                "release TEXT_ENCODER", "load UNET"));
        expected.addAll(step(1, 2));
        expected.addAll(step(2, 2));
        expected.addAll(List.of("release UNET", "load VAE", "+IMAGE_DECODING", "-IMAGE_DECODING", "release VAE"));
        assertEquals(expected, recorder.events);
    }

    @Test
    void perStageImg2imgReleasesTheVaeBetweenEncodingAndDecoding() {
        Recorder recorder = new Recorder();
        DiffusionPipeline perStage = perStagePipeline(recorder);
        perStage.run(GenerationRequest.builder(Mode.IMG2IMG, "a cat").steps(1).strength(1.0).sampler("ddim").seed(1L)
                .initImage(FloatTensor.zeros(1, 3, 16, 16)).build(), RunControl.UNCANCELLABLE, recorder);
        List<String> expected = new ArrayList<>(List.of("load TEXT_ENCODER", "+TEXT_ENCODING", "-TEXT_ENCODING",
                "release TEXT_ENCODER", "load VAE", "+IMAGE_ENCODING", "-IMAGE_ENCODING", "release VAE", "load UNET"));
        expected.addAll(step(1, 1));
        expected.addAll(List.of("release UNET", "load VAE", "+IMAGE_DECODING", "-IMAGE_DECODING", "release VAE"));
        assertEquals(expected, recorder.events);
    }

    /** A pipeline over fresh fake networks loaded per stage, whose loads and releases go to {@code recorder}. */
    private static DiffusionPipeline perStagePipeline(Recorder recorder) {
        ModelFolder folder = ModelFolder.open(TestData.tinySd());
        FakeBackend.FakeNetworks fakes = new FakeBackend().load(ModelLocation.folder(folder.root()),
                LoadOptions.defaults());
        StageResidency residency = new StageResidency(Residency.PER_STAGE, fakes);
        fakes.log = recorder.events::add;
        return new DiffusionPipeline(fakes, new PromptEncoder(ClipTokenizer.load(folder.tokenizerPath()),
                fakes.textEncoder()), new SamplerFactory(folder.schedulerConfig().json()), residency);
    }

    @Test
    void theRunControlIsAskedBeforeEveryStep() {
        Recorder recorder = new Recorder();
        int[] asked = {0};
        RunControl stopAfterTwo = () -> ++asked[0] > 2;
        GenerationCancelledException e = assertThrows(GenerationCancelledException.class, () -> pipeline.run(
                GenerationRequest.builder(Mode.TXT2IMG, "a cat").steps(5).sampler("ddim").seed(1L).build(),
                stopAfterTwo, recorder));
        assertEquals(3, asked[0]);
        assertEquals("step 2/5", recorder.events.get(recorder.events.size() - 1));
        assertEquals(true, e.getMessage().contains("2 of 5"), e.getMessage());
    }
}
