package io.github.sdm.unet.onnx;

import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.spi.DenoiserNetwork;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.NetworkRole;
import io.github.sdm.core.spi.TextEncoderNetwork;
import java.util.ArrayList;
import java.util.List;

/**
 * The loaded graphs of one model, one ONNX Runtime session each, shared by every generation. Each network's sessions
 * can be closed and opened again ({@link #release}, {@link #load}: stage residency), the VAE's two graphs together,
 * the built UNet's variants with the UNet (reopened at their next call).
 */
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

    /** The graphs of {@code role}: the text encoder's, the UNet's, or the VAE's decoder and encoder. */
    List<OnnxGraph> graphs(NetworkRole role) {
        return switch (role) {
            case TEXT_ENCODER -> List.of(textEncoder.graph());
            case UNET -> List.of(unet.graph());
            case VAE -> vae.graphs();
        };
    }

    @Override
    public void load(NetworkRole role) {
        graphs(role).forEach(OnnxGraph::load);
    }

    /** Releasing the UNet closes its variants' sessions first: they read its weights. */
    @Override
    public void release(NetworkRole role) {
        if (role == NetworkRole.UNET && variants != null) {
            variants.release();
        }
        graphs(role).forEach(OnnxGraph::release);
    }

    /** The built UNet's variants; null for an export (for tests). */
    OnnxUNetVariants variants() {
        return variants;
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
