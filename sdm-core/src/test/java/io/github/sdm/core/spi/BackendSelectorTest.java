package io.github.sdm.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ranked backends, chosen by name (options, then system property) or by priority among those that can load. */
class BackendSelectorTest {
    private static final ModelLocation MODEL = ModelLocation.folder(Path.of("some/model"));

    /** A backend that only answers {@link #canLoad}. */
    private record Stub(String name, int priority, LoadVerdict verdict) implements ModelBackend {
        @Override
        public LoadVerdict canLoad(ModelLocation location) {
            return verdict;
        }

        @Override
        public DiffusionNetworks load(ModelLocation location, LoadOptions options) {
            throw new UnsupportedOperationException();
        }
    }

    private static final Stub DJL = new Stub("djl", 0, LoadVerdict.yes());
    private static final Stub FAST = new Stub("onnx", 10, LoadVerdict.no("unet/ has no model.onnx"));
    private static final Stub FASTER = new Stub("turbo", 20, LoadVerdict.yes());

    @AfterEach
    void clearProperty() {
        System.clearProperty(BackendSelector.PROPERTY);
    }

    @Test
    void theHighestPriorityBackendThatCanLoadWinsWhateverTheOrder() {
        assertEquals("turbo", new BackendSelector(List.of(DJL, FAST, FASTER)).choose(MODEL, LoadOptions.defaults()).name());
        assertEquals("turbo", new BackendSelector(List.of(FASTER, DJL, FAST)).choose(MODEL, LoadOptions.defaults()).name());
        assertEquals("djl", new BackendSelector(List.of(FAST, DJL)).choose(MODEL, LoadOptions.defaults()).name());
        assertEquals(List.of(FASTER, FAST, DJL), new BackendSelector(List.of(DJL, FAST, FASTER)).ranked());
    }

    @Test
    void aBackendNamedInTheOptionsWinsOverPriorityAndTheProperty() {
        System.setProperty(BackendSelector.PROPERTY, "turbo");
        assertEquals("djl", new BackendSelector(List.of(DJL, FASTER))
                .choose(MODEL, LoadOptions.defaults().withBackend("djl")).name());
    }

    @Test
    void theSystemPropertyNamesABackendWhenTheOptionsDoNot() {
        System.setProperty(BackendSelector.PROPERTY, "djl");
        assertEquals("djl", new BackendSelector(List.of(DJL, FASTER)).choose(MODEL, LoadOptions.defaults()).name());
    }

    @Test
    void whenNoneCanLoadTheErrorListsEachBackendsReason() {
        Stub other = new Stub("djl", 0, LoadVerdict.no("unet/ has model.onnx, not safetensors"));
        SdmException e = assertThrows(SdmException.class,
                () -> new BackendSelector(List.of(other, FAST)).choose(MODEL, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("djl: unet/ has model.onnx, not safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("onnx: unet/ has no model.onnx"), e.getMessage());
        assertTrue(e.getMessage().contains("some/model"), e.getMessage());
    }

    @Test
    void aNamedBackendThatCannotLoadGivesItsReason() {
        SdmException e = assertThrows(SdmException.class, () -> new BackendSelector(List.of(DJL, FAST))
                .choose(MODEL, LoadOptions.defaults().withBackend("onnx")));
        assertTrue(e.getMessage().contains("'onnx'") && e.getMessage().contains("unet/ has no model.onnx"),
                e.getMessage());
    }

    @Test
    void anUnknownNameListsTheAvailableBackendsAndWhereTheNameCameFrom() {
        System.setProperty(BackendSelector.PROPERTY, "tensorrt");
        SdmException e = assertThrows(SdmException.class,
                () -> new BackendSelector(List.of(DJL, FAST)).choose(MODEL, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("'tensorrt'") && e.getMessage().contains("-Dsdm.backend")
                && e.getMessage().contains("[onnx, djl]"), e.getMessage());
    }

    @Test
    void noBackendAtAllNamesTheModuleToAdd() {
        SdmException e = assertThrows(SdmException.class,
                () -> new BackendSelector(List.of()).choose(MODEL, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("sdm-unet"), e.getMessage());
    }
}
