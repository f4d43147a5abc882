package io.github.sdm.unet.djl;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.PrecisionPlan;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.LoraAdapter;
import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.spi.DenoiserNetwork;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.NetworkRole;
import io.github.sdm.core.spi.RequestSize;
import io.github.sdm.core.spi.TextEncoderNetwork;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.config.VaeTileSize;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.lora.LoraApplication;
import io.github.sdm.unet.djl.lora.LoraParts;
import io.github.sdm.unet.djl.lora.MergedLora;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import io.github.sdm.unet.djl.vae.AutoencoderTiny;
import io.github.sdm.unet.lora.LoraTargets;
import io.github.sdm.unet.tiling.TiledAutoencoder;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The three networks and the manager that owns their weights. Each network can be released and loaded again
 * ({@link ReleasableNetwork}) for stage residency; the network objects handed to the pipeline stay the same.
 */
final class DjlNetworks implements DiffusionNetworks {
    private final NDManager manager;
    private final DjlTextEncoder textEncoder;
    private final DjlDenoiser unet;
    private final AutoencoderNetwork vae;
    private final ReleasableNetwork<CLIPTextModel> clip;
    private final ReleasableNetwork<UNet2DConditionModel> unetModel;
    private final ReleasableNetwork<Network> vaeModel;
    private final UNetConfig unetConfig;
    private final ToLongFunction<RequestSize> vaeDecodeBytes;

    /**
     * @param clip the text encoder, loaded
     * @param unet the UNet, loaded
     * @param vae an {@link AutoencoderKL} or an {@link AutoencoderTiny}, loaded
     * @param vaeTiles the tiles of an {@link AutoencoderKL}, tiled as {@link LoadOptions#vaeTiling()} says
     * @param plan the compute type of each network ({@link DjlBackend} has checked that it runs)
     */
    DjlNetworks(NDManager manager, ReleasableNetwork<CLIPTextModel> clip, ReleasableNetwork<UNet2DConditionModel> unet,
            ReleasableNetwork<Network> vae, VaeTileSize vaeTiles, LoadOptions options, PrecisionPlan plan) {
        this.manager = manager;
        this.clip = clip;
        this.unetModel = unet;
        this.vaeModel = vae;
        this.unetConfig = unet.get().config();
        ForwardContext context = ForwardContext.DEFAULT.withAttentionSliceSize(options.attentionSliceSize())
                .withWeightPaging(options.weightPaging());
        // the parts a per-generation LoRA may adapt, in both networks (a file's keys are matched against both)
        LoraTargets loraTargets = LoraParts.targets(clip.get(), unet.get());
        this.textEncoder = new DjlTextEncoder(clip, clip.get().config(), manager,
                ForwardContext.DEFAULT.withComputePrecision(plan.textEncoder()).withWeightPaging(options.weightPaging()),
                loraTargets);
        this.unet = new DjlDenoiser(unet, unetConfig, manager, context.withComputePrecision(plan.unet()).withAttentionPrecision(plan.unetAttention()), loraTargets);
        ForwardContext vaeContext = context.withComputePrecision(plan.vae());
        if (vae.get() instanceof AutoencoderTiny tiny) {
            this.vae = new DjlTinyAutoencoder(() -> (AutoencoderTiny) vae.get(), tiny.config(), manager, vaeContext);
            this.vaeDecodeBytes = size -> ActivationEstimate.tinyDecode(tiny.config(), size);
        } else if (vae.get() instanceof AutoencoderKL kl) {
            TiledAutoencoder tiled = new TiledAutoencoder(new DjlAutoencoder(() -> (AutoencoderKL) vae.get(),
                    kl.config(), manager, vaeContext), vaeTiles, options.vaeTiling());
            this.vae = tiled;
            // a tiled decode holds the activations of one tile
            this.vaeDecodeBytes = size -> ActivationEstimate.vaeDecode(kl.config(),
                    tiled.tilesLatents(size.latentHeight(), size.latentWidth()) ? oneTile(size, vaeTiles) : size);
        } else {
            throw new IllegalArgumentException("not a VAE this backend serves: " + vae.get().getClass().getName());
        }
    }

    private static RequestSize oneTile(RequestSize size, VaeTileSize tiles) {
        return new RequestSize(size.batch(), size.guidance(), size.latentChannels(),
                Math.min(size.latentHeight(), tiles.latentTile()), Math.min(size.latentWidth(), tiles.latentTile()),
                size.downscaleFactor());
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

    /** From the UNet's and the VAE's configs: see {@link ActivationEstimate}. */
    @Override
    public long activationBytes(RequestSize size) {
        return Math.max(ActivationEstimate.unetCall(unetConfig, size), vaeDecodeBytes.applyAsLong(size));
    }

    /** Merges into the text encoder's and the UNet's weights (see {@link MergedLora}); the caller keeps the model idle. */
    @Override
    public Runnable mergeLora(List<LoraAdapter> adapters) {
        List<MergedLora> merged = LoraApplication.merge(adapters, clip.get(), unetModel.get());
        return () -> merged.forEach(MergedLora::unmerge);
    }

    @Override
    public void load(NetworkRole role) {
        network(role).load();
    }

    @Override
    public void release(NetworkRole role) {
        network(role).release();
    }

    /** The holder of {@code role}'s weights (tests read its counts). */
    ReleasableNetwork<?> network(NetworkRole role) {
        return switch (role) {
            case TEXT_ENCODER -> clip;
            case UNET -> unetModel;
            case VAE -> vaeModel;
        };
    }

    @Override
    public void close() {
        try {
            clip.close();
            unetModel.close();
            vaeModel.close();
        } finally {
            manager.close();
        }
    }
}
