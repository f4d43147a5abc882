package io.github.sdm.unet.onnx;

import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.spi.DenoiserNetwork;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.TextEncoderNetwork;
import java.util.ArrayList;
import java.util.List;

/** The loaded graphs of one export, one ONNX Runtime session each, shared by every generation. */
final class OnnxNetworks implements DiffusionNetworks {
    private final List<OnnxGraph> graphs;
    private final OnnxTextEncoder textEncoder;
    private final OnnxDenoiser unet;
    private final OnnxAutoencoder vae;
    /** The built UNet's variants, closed before the graphs; null for an export. */
    private final OnnxUNetVariants variants;

    /** @param graphs every graph the networks run, closed with them */
    OnnxNetworks(List<OnnxGraph> graphs, OnnxTextEncoder textEncoder, OnnxDenoiser unet, OnnxAutoencoder vae) {
        this(graphs, textEncoder, unet, vae, null);
    }

    /**
     * @param graphs every graph the networks run, closed with them
     * @param variants the built UNet's variants, closed first
     */
    OnnxNetworks(List<OnnxGraph> graphs, OnnxTextEncoder textEncoder, OnnxDenoiser unet, OnnxAutoencoder vae,
            OnnxUNetVariants variants) {
        this.variants = variants;
        this.graphs = List.copyOf(graphs);
        this.textEncoder = textEncoder;
        this.unet = unet;
        this.vae = vae;
    }

    @Override
    public TextEncoderNetwork textEncoder() {
        return textEncoder;
    }

    @Override
    public DenoiserNetwork unet() {
        return unet;
    }

    @Override
    public AutoencoderNetwork vae() {
        return vae;
    }

    @Override
    public void close() {
        try {
            if (variants != null) {
                variants.close();
            }
        } finally {
            closeAll(graphs);
        }
    }

    /** Closes every graph, even when one fails to close. */
    static void closeAll(List<OnnxGraph> graphs) {
        List<SdmException> failures = new ArrayList<>();
        for (OnnxGraph graph : graphs) {
            try {
                graph.close();
            } catch (SdmException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            SdmException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
