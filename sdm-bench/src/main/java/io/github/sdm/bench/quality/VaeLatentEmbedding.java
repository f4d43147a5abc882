package io.github.sdm.bench.quality;

import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.spi.BackendSelector;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.tensor.FloatTensor;
import java.nio.file.Path;

/**
 * The alternative embedding: a model folder's VAE encoder's mean latents (through the network SPI's
 * {@code encodeLatents}, unscaled), flattened, L2 distance. It sees more shape than {@link PixelEmbedding} but
 * changes whenever that VAE is retrained, so figures are comparable only under the same folder.
 */
public final class VaeLatentEmbedding implements ImageEmbedding, AutoCloseable {
    private final Path folder;
    private final DiffusionNetworks networks;

    private VaeLatentEmbedding(Path folder, DiffusionNetworks networks) {
        this.folder = folder;
        this.networks = networks;
    }

    /** Loads the networks of the model folder {@code folder} (only its VAE is used). */
    public static VaeLatentEmbedding load(Path folder) {
        ModelLocation location = ModelLocation.folder(folder);
        location.requireExists();
        LoadOptions options = LoadOptions.defaults();
        return new VaeLatentEmbedding(folder, BackendSelector.fromClasspath().choose(location, options)
                .load(location, options));
    }

    @Override
    public String description() {
        return "mean latents of the VAE encoder of `" + folder + "`, L2 distance";
    }

    /** The real emoji at the generated pictures' size, so both pass the encoder at one scale. */
    @Override
    public int realSide(int generatedSide) {
        return generatedSide;
    }

    @Override
    public float[] embed(float[] chw, int side) {
        float[] signed = new float[chw.length];
        for (int i = 0; i < chw.length; i++) {
            signed[i] = chw[i] * 2 - 1;
        }
        return networks.vae().encodeLatents(new FloatTensor(signed, new int[] {1, 3, side, side})).data();
    }

    @Override
    public void close() {
        networks.close();
    }
}
