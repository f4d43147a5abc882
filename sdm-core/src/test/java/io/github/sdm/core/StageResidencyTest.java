package io.github.sdm.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.FakeBackend.FakeNetworks;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Residency;
import io.github.sdm.core.spi.NetworkRole;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Stage residency's counting: a network is loaded for a stage and released once no running use holds it and no
 * other running generation still needs it (fake networks, which fail when called while released).
 */
class StageResidencyTest {

    private static FakeNetworks fakes() {
        return new FakeBackend().load(ModelLocation.folder(TestData.tinySd()), LoadOptions.defaults());
    }

    @Test
    void residentNetworksAreNeverReleased() {
        FakeNetworks networks = fakes();
        StageResidency residency = new StageResidency(Residency.RESIDENT, networks);
        try (StageResidency.Claims claims = residency.claim(Mode.IMG2IMG)) {
            for (NetworkRole role : NetworkRole.values()) {
                claims.use(role).close();
            }
        }
        for (NetworkRole role : NetworkRole.values()) {
            assertTrue(networks.isLoaded(role), role.toString());
            assertEquals(0, networks.releases(role), role.toString());
        }
    }

    @Test
    void perStageStartsWithEverythingReleasedAndReleasesEachNetworkAfterItsUse() {
        FakeNetworks networks = fakes();
        StageResidency residency = new StageResidency(Residency.PER_STAGE, networks);
        for (NetworkRole role : NetworkRole.values()) {
            assertFalse(networks.isLoaded(role), role + " loaded before any stage");
        }
        try (StageResidency.Claims claims = residency.claim(Mode.TXT2IMG)) {
            for (NetworkRole role : NetworkRole.values()) {
                try (StageResidency.Use use = claims.use(role)) {
                    assertTrue(networks.isLoaded(role));
                }
                assertFalse(networks.isLoaded(role), role + " still loaded after its stage");
                assertEquals(1, networks.loads(role));
            }
        }
    }

    @Test
    void aNetworkAnotherRunningGenerationStillNeedsStaysLoaded() {
        FakeNetworks networks = fakes();
        StageResidency residency = new StageResidency(Residency.PER_STAGE, networks);
        StageResidency.Claims first = residency.claim(Mode.TXT2IMG);
        StageResidency.Claims second = residency.claim(Mode.TXT2IMG);
        first.use(NetworkRole.TEXT_ENCODER).close();
        assertTrue(networks.isLoaded(NetworkRole.TEXT_ENCODER), "released while the second generation needs it");
        second.use(NetworkRole.TEXT_ENCODER).close();
        assertFalse(networks.isLoaded(NetworkRole.TEXT_ENCODER));
        assertEquals(1, networks.loads(NetworkRole.TEXT_ENCODER), "overlapping generations share one load");

        // two uses at once: the network goes only when the last ends
        StageResidency.Use a = first.use(NetworkRole.UNET);
        StageResidency.Use b = second.use(NetworkRole.UNET);
        a.close();
        assertTrue(networks.isLoaded(NetworkRole.UNET), "released under a running use");
        b.close();
        assertFalse(networks.isLoaded(NetworkRole.UNET));
        assertEquals(1, networks.loads(NetworkRole.UNET));

        // a generation that ends early (cancelled before decoding) no longer keeps the VAE for itself
        first.use(NetworkRole.VAE).close();
        assertTrue(networks.isLoaded(NetworkRole.VAE), "the second generation has still to decode");
        second.close();
        assertFalse(networks.isLoaded(NetworkRole.VAE), "nobody needs the VAE once the second has ended");
        first.close();
        assertEquals(1, networks.loads(NetworkRole.VAE));
    }

    @Test
    void img2imgAloneReleasesTheVaeBetweenItsEncodingAndItsDecoding() {
        FakeNetworks networks = fakes();
        StageResidency residency = new StageResidency(Residency.PER_STAGE, networks);
        try (StageResidency.Claims claims = residency.claim(Mode.IMG2IMG)) {
            claims.use(NetworkRole.VAE).close();
            assertFalse(networks.isLoaded(NetworkRole.VAE), "kept through the denoising loop");
            claims.use(NetworkRole.VAE).close();
        }
        assertEquals(2, networks.loads(NetworkRole.VAE));
    }

    @Test
    void concurrentPerStageGenerationsGiveTheResidentResultsAndLeaveNothingLoaded() throws Exception {
        List<float[]> expected = new ArrayList<>();
        try (StableDiffusion sd = StableDiffusion.load(TestData.tinySd())) {
            for (int i = 0; i < 8; i++) {
                expected.add(generate(sd, i).decoded().data());
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (StableDiffusion sd = StableDiffusion.load(TestData.tinySd(),
                LoadOptions.defaults().withResidency(Residency.PER_STAGE))) {
            FakeNetworks networks = FakeBackend.lastNetworks();
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int index = i;
                results.add(pool.submit(() -> generate(sd, index).decoded().data()));
            }
            for (int i = 0; i < 8; i++) {
                assertArrayEquals(expected.get(i), results.get(i).get(), "generation " + i);
            }
            for (NetworkRole role : NetworkRole.values()) {
                assertFalse(networks.isLoaded(role), role + " still loaded after every generation ended");
                assertEquals(networks.loads(role), networks.releases(role) - 1, role + ": one release per load, "
                        + "plus the release of the backend's own load");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Even generations txt2img, odd ones img2img, so the VAE serves both stages across threads. */
    private static GenerationResult generate(StableDiffusion sd, int index) {
        GenerationBuilder builder = index % 2 == 0 ? sd.txt2img("a cat " + index)
                : sd.img2img(FloatTensor.zeros(1, 3, 64, 64), "a dog " + index).strength(0.6);
        return builder.steps(3).sampler("ddim").seed(index).generate();
    }
}
