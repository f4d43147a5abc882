package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.ConfigFile;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.nn.Activations;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.GroupNorm;
import io.github.sdm.unet.djl.nn.InputShapeException;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.nn.Part;
import io.github.sdm.unet.djl.nn.PartInterceptor;
import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * diffusers' {@code UNet2DConditionModel} (0.27.2 semantics) for Stable Diffusion 1.x / 2.x: time
 * embedding, {@code conv_in}, down blocks, the optional mid block, up blocks fed by the skip connections,
 * and the output head {@code conv_norm_out, SiLU, conv_out}. Every part is named by its checkpoint key
 * prefix (see {@link #part(String)}, {@link #partNames()}); the root's name is empty. The blocks are built
 * from specs ({@link DownBlockSpec}, {@link MidBlockSpec}, {@link UpBlockSpec}) derived from the config, their
 * layers through a {@link UNetLayerFactory}.
 *
 * <p>There is one pass. {@link #forward(NDArray, NDArray, NDArray, ForwardContext, DeepBranchHook)} runs it
 * with a cut at a shallow depth for DeepCache-style reuse (see {@link DeepBranchHook}); the plain
 * {@link #forward(NDArray, NDArray, NDArray, ForwardContext)} is the same pass with
 * {@link DeepBranchHook#NONE}, and {@link #forwardWithActivations} the plain pass with an interceptor
 * recording the block outputs. Its steps are public too ({@link #embedTime}, {@link #stem},
 * {@link DownBlock#forward}, {@link MidBlock#forward}, {@link UpBlock#forward}, {@link #head}).
 *
 * <p>Owns its weights (in a sub-manager of the manager given at load); {@link #close()} frees them.
 */
public final class UNet2DConditionModel extends Network {
    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = "diffusion_pytorch_model.safetensors";

    private final UNetConfig config;
    private final TimestepProjection timeProj;
    private final TimestepEmbedding timeEmbedding;
    private final Conv2d convIn;
    private final List<DownBlock> downBlocks = new ArrayList<>();
    private final MidBlock midBlock;
    private final List<UpBlock> upBlocks = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Conv2d convOut;
    private final Map<String, Part> partsByName = new LinkedHashMap<>();
    private final int skipCount;

    /** The part tree of {@code config}, without weights (see the static factories). */
    public UNet2DConditionModel(UNetConfig config) {
        this(config, UNetLayerFactory.DEFAULT);
    }

    /** The part tree of {@code config} with layers from {@code layers}, without weights. */
    public UNet2DConditionModel(UNetConfig config, UNetLayerFactory layers) {
        this.config = config;
        List<Integer> channels = config.blockOutChannels();
        int blocks = config.blockCount();
        int c0 = channels.get(0);
        int temb = config.timeEmbeddingDim();
        ResnetSpec resnet = new ResnetSpec(temb, config.normNumGroups(), config.normEps(), 1.0);

        timeProj = child(new TimestepProjection("time_proj", c0, config.flipSinToCos(), config.freqShift()));
        timeEmbedding = child(new TimestepEmbedding("time_embedding", c0, temb));
        convIn = child(new Conv2d("conv_in", config.inChannels(), c0, config.convInKernel(), 1,
                (config.convInKernel() - 1) / 2));

        Deque<Integer> skipChannels = new ArrayDeque<>();
        skipChannels.push(c0);
        int out = c0;
        for (int i = 0; i < blocks; i++) {
            int in = out;
            out = channels.get(i);
            String type = config.downBlockTypes().get(i);
            DownBlock block = child(new DownBlock("down_blocks." + i, new DownBlockSpec(type, in, out,
                    config.layersPerBlock().get(i), resnet,
                    type.equals(UNetConfig.CROSS_ATTN_DOWN) ? transformer(i, out) : null, i < blocks - 1), layers));
            downBlocks.add(block);
            for (int j = 0; j < block.outputCount(); j++) {
                skipChannels.push(out);
            }
        }
        skipCount = skipChannels.size();

        int deepest = blocks - 1;
        midBlock = config.hasMidBlock() ? child(new MidBlock("mid_block", new MidBlockSpec(channels.get(deepest),
                new ResnetSpec(temb, config.normNumGroups(), config.normEps(), config.midBlockScaleFactor()),
                transformer(deepest, channels.get(deepest))), layers)) : null;

        int prev = channels.get(deepest);
        for (int i = 0; i < blocks; i++) {
            int level = blocks - 1 - i;
            int outCh = channels.get(level);
            int layerCount = config.layersPerBlock().get(level) + 1;
            List<Integer> skips = new ArrayList<>();
            for (int j = 0; j < layerCount; j++) {
                if (skipChannels.isEmpty()) {
                    throw new ModelFormatException("UNet config: up_blocks." + i
                            + " needs more skip connections than the down blocks produce; check layers_per_block");
                }
                skips.add(skipChannels.pop());
            }
            String type = config.upBlockTypes().get(i);
            upBlocks.add(child(new UpBlock("up_blocks." + i, new UpBlockSpec(type, prev, outCh, skips, resnet,
                    type.equals(UNetConfig.CROSS_ATTN_UP) ? transformer(level, outCh) : null, i < blocks - 1),
                    layers)));
            prev = outCh;
        }
        convNormOut = child(new GroupNorm("conv_norm_out", config.normNumGroups(), c0, config.normEps()));
        convOut = child(new Conv2d("conv_out", c0, config.outChannels(), config.convOutKernel(), 1,
                (config.convOutKernel() - 1) / 2));
        for (Part p : walk()) {
            partsByName.put(p.name(), p);
        }
    }

    /** The transformers of level {@code level}, whose blocks have {@code channels} channels. */
    private TransformerSpec transformer(int level, int channels) {
        return new TransformerSpec(headsFor(level, channels), config.transformerLayersPerBlock().get(level),
                config.crossAttentionDim().get(level), config.normNumGroups(), config.useLinearProjection());
    }

    private int headsFor(int level, int channels) {
        int heads = config.attentionHeads().get(level);
        if (channels % heads != 0) {
            throw new ModelFormatException("UNet config: attention_head_dim/num_attention_heads " + heads
                    + " (heads of block " + level + ") does not divide its " + channels + " channels");
        }
        return heads;
    }

    /**
     * Reads {@code config.json} and {@code diffusion_pytorch_model.safetensors} of a diffusers UNet folder,
     * with the layers its config asks for ({@link UNetLayerProvider}).
     */
    public static UNet2DConditionModel load(Path componentFolder, NDManager manager) {
        ConfigFile file = ConfigFile.read(componentFolder.resolve(CONFIG_FILE));
        UNetConfig config = UNetConfig.from(file);
        UNetLayerFactory layers = UNetLayerProvider.forConfig(file);
        return fromComponentFolder(componentFolder, weights -> load(config, layers, weights, manager));
    }

    /**
     * {@link #load(Path, NDManager)} with the weights held as {@code storage} (INT8: from the folder's int8 weight file
     * when it has one, see {@link Network#fromComponentFolder(Path, Precision, java.util.function.Function)}).
     */
    public static UNet2DConditionModel load(Path componentFolder, NDManager manager, Precision storage) {
        ConfigFile file = ConfigFile.read(componentFolder.resolve(CONFIG_FILE));
        UNetConfig config = UNetConfig.from(file);
        UNetLayerFactory layers = UNetLayerProvider.forConfig(file);
        return fromComponentFolder(componentFolder, storage,
                weights -> load(config, layers, weights, manager, storage));
    }

    /** Builds {@code config}'s UNet with weights from any source (e.g. a renamed single-file checkpoint). */
    public static UNet2DConditionModel load(UNetConfig config, WeightSource weights, NDManager manager) {
        return load(config, UNetLayerFactory.DEFAULT, weights, manager);
    }

    /** Builds {@code config}'s UNet with layers from {@code layers} and weights from {@code weights}. */
    public static UNet2DConditionModel load(UNetConfig config, UNetLayerFactory layers, WeightSource weights,
            NDManager manager) {
        return load(config, layers, weights, manager, Precision.FP32);
    }

    /** {@link #load(UNetConfig, UNetLayerFactory, WeightSource, NDManager)} with the weights held as {@code storage}. */
    public static UNet2DConditionModel load(UNetConfig config, UNetLayerFactory layers, WeightSource weights,
            NDManager manager, Precision storage) {
        return withWeights(new UNet2DConditionModel(config, layers), weights, manager, storage);
    }

    /** Builds {@code config}'s UNet with seeded random weights, for timing without a checkpoint. */
    public static UNet2DConditionModel random(UNetConfig config, long seed, NDManager manager) {
        return withRandomWeights(new UNet2DConditionModel(config), seed, manager);
    }

    public UNetConfig config() {
        return config;
    }

    public TimestepProjection timeProj() {
        return timeProj;
    }

    public TimestepEmbedding timeEmbedding() {
        return timeEmbedding;
    }

    public Conv2d convIn() {
        return convIn;
    }

    public List<DownBlock> downBlocks() {
        return Collections.unmodifiableList(downBlocks);
    }

    /** Empty when the config says {@code "mid_block_type": null}. */
    public Optional<MidBlock> midBlock() {
        return Optional.ofNullable(midBlock);
    }

    public List<UpBlock> upBlocks() {
        return Collections.unmodifiableList(upBlocks);
    }

    public GroupNorm convNormOut() {
        return convNormOut;
    }

    public Conv2d convOut() {
        return convOut;
    }

    /** The part with this checkpoint key prefix, e.g. {@code up_blocks.1.attentions.2.transformer_blocks.0.attn2}. */
    public Part part(String name) {
        Part p = partsByName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("UNet has no part named '" + name + "' (see partNames())");
        }
        return p;
    }

    /** Every part's name, parents before children (the root's empty name first). */
    public List<String> partNames() {
        return List.copyOf(partsByName.keySet());
    }

    /** Skip connections of a full pass: conv_in's output plus one per down layer and downsampler. */
    public int skipCount() {
        return skipCount;
    }

    /**
     * The UNet's noise (or v) prediction.
     *
     * @param sample latents {@code [B, in_channels, H, W]}, any H and W: where a side is not divisible by the
     *     total downscale, the upsamplers resize to the skip connections' sizes, as diffusers does
     * @param timestep a scalar or {@code [B]}, any numeric type, fractional values allowed
     * @param encoderHiddenStates text embedding {@code [B, M, cross_attention_dim]}
     * @return {@code [B, out_channels, H, W]}, attached to the manager of {@code sample}
     */
    public NDArray forward(NDArray sample, NDArray timestep, NDArray encoderHiddenStates, ForwardContext ctx) {
        return forward(sample, timestep, encoderHiddenStates, ctx, DeepBranchHook.NONE);
    }

    /** The prediction, with the deep branch below the hook's depth handed to {@code hook} (see {@link DeepBranchHook}). */
    public NDArray forward(NDArray sample, NDArray timestep, NDArray encoderHiddenStates, ForwardContext ctx,
            DeepBranchHook hook) {
        checkInputs(sample, timestep, encoderHiddenStates);
        int depth = hook.depth(this);
        if (depth < 1 || depth > skipCount) {
            throw new IllegalArgumentException("shallow depth must be 1.." + skipCount + ", got " + depth);
        }
        NDList inputs = new NDList(sample, timestep, encoderHiddenStates);
        return ctx.scoped(sample.getManager(), inputs, c -> forward(c, inputs,
                (cc, in) -> new NDList(pass(cc, in.get(0), in.get(1), in.get(2), depth, hook)))).head();
    }

    /** {@link #forward(NDArray, NDArray, NDArray, ForwardContext)} plus every block's hidden state. */
    public UNetActivations forwardWithActivations(NDArray sample, NDArray timestep, NDArray encoderHiddenStates,
            ForwardContext ctx) {
        List<String> blocks = new ArrayList<>();
        downBlocks.forEach(b -> blocks.add(b.name()));
        midBlock().ifPresent(b -> blocks.add(b.name()));
        upBlocks.forEach(b -> blocks.add(b.name()));
        return forwardWithActivations(sample, timestep, encoderHiddenStates, ctx, blocks);
    }

    /**
     * {@link #forward(NDArray, NDArray, NDArray, ForwardContext)} plus the last output of each part named in
     * {@code partNames} (a block, a resnet, an attention: see {@link #partNames()}), keyed by that name. In a
     * training pass the recorded outputs carry their gradients, so a loss on them (distillation's feature loss)
     * trains the parts before them.
     *
     * @throws IllegalArgumentException naming a part this UNet does not have
     */
    public UNetActivations forwardWithActivations(NDArray sample, NDArray timestep, NDArray encoderHiddenStates,
            ForwardContext ctx, Collection<String> partNames) {
        checkInputs(sample, timestep, encoderHiddenStates);
        Set<String> recorded = new HashSet<>();
        for (String name : partNames) {
            part(name);
            recorded.add(name);
        }
        Map<String, NDArray> acts = new LinkedHashMap<>();
        NDList inputs = new NDList(sample, timestep, encoderHiddenStates);
        // the pass straight in the scope (not in the root part's own), so the recorded states outlive it
        NDList out = ctx.scoped(sample.getManager(), inputs, c -> {
            // outermost, so it records what the parts finally hand on (a replacement by the caller's interceptor
            // too); a part inside a block is moved to this scope, where the block's early release leaves it alone
            PartInterceptor recorder = (name, in, compute) -> {
                NDList partOut = compute.apply(in);
                if (recorded.contains(name)) {
                    NDArray last = partOut.get(partOut.size() - 1);
                    last.attach(c.manager());
                    acts.put(name, last);
                }
                return partOut;
            };
            NDList result = new NDList(pass(c.withOuterInterceptor(recorder), sample, timestep, encoderHiddenStates,
                    skipCount, DeepBranchHook.NONE));
            acts.values().forEach(result::add);
            return result;
        });
        Map<String, NDArray> attached = new LinkedHashMap<>();
        int i = 1;
        for (String key : acts.keySet()) {
            attached.put(key, out.get(i++));
        }
        return new UNetActivations(out.head(), attached);
    }

    /** The time embedding {@code [B, time_embed_dim]}: {@code time_proj} then {@code time_embedding}. */
    public NDArray embedTime(ForwardContext ctx, NDArray timestep, long batch) {
        NDArray t = timestep.getShape().size() == batch && timestep.getShape().dimension() == 1 ? timestep
                : timestep.reshape(1).broadcast(batch);
        // the sinusoids in float32, as diffusers computes them, then in the compute type (its t_emb.to(dtype))
        return timeEmbedding.forward(ctx, ctx.toComputeType(timeProj.forward(ctx, t)));
    }

    /** {@code center_input_sample} (if configured) then {@code conv_in}: skip connection 0. */
    public NDArray stem(ForwardContext ctx, NDArray sample) {
        NDArray x = config.centerInputSample() ? sample.mul(2f).sub(1f) : sample;
        return convIn.forward(ctx, x);
    }

    /** {@code conv_norm_out}, SiLU, {@code conv_out}. */
    public NDArray head(ForwardContext ctx, NDArray hidden) {
        return convOut.forward(ctx, Activations.silu(convNormOut.forward(ctx, hidden)));
    }

    /** Inputs: {@code sample}, {@code timestep}, {@code encoder_hidden_states}. Output: the prediction. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(pass(ctx, inputs.get(0), inputs.get(1), inputs.get(2), skipCount, DeepBranchHook.NONE));
    }

    /**
     * The pass, cut at shallow depth {@code depth}: the shallow down path, the deep branch through the
     * hook, the shallow up path, the head.
     */
    private NDArray pass(ForwardContext ctx, NDArray latents, NDArray timestep, NDArray text, int depth,
            DeepBranchHook hook) {
        // latents and text embeddings cross the boundary in float32; inside, everything is in the compute type
        NDArray sample = ctx.toComputeType(latents);
        NDArray context = ctx.toComputeType(text);
        NDArray temb = embedTime(ctx, timestep, sample.getShape().get(0));
        PassState path = new PassState(stem(ctx, sample), totalDownscale());
        down(ctx, path, depth, temb, context);
        int firstShallowUpLayer = skipCount - depth;
        NDArray deep = hook.deepFeature(() -> {
            down(ctx, path, skipCount, temb, context);
            if (midBlock != null) {
                path.hidden = midBlock.forward(ctx, path.hidden, temb, context);
            }
            up(ctx, path, 0, firstShallowUpLayer, temb, context);
            return path.hidden;
        });
        if (deep.getManager() != ctx.manager()) {
            // a kept feature: lend it to this pass, so ops on it land in the pass's scope
            ctx.manager().tempAttachAll(deep);
        }
        path.hidden = deep;
        up(ctx, path, firstShallowUpLayer, skipCount, temb, context);
        return ForwardContext.toFloat32(head(ctx, path.hidden));
    }

    /**
     * The hidden state of a pass and the skip connections produced so far (skip i at index i). When the sample's
     * sides are not divisible by the total downscale, a downsampler rounds an odd side up, so each upsampler
     * resizes to the size of the skip it meets next instead of doubling (diffusers' {@code forward_upsample_size}).
     */
    private static final class PassState {
        NDArray hidden;
        final List<NDArray> skips = new ArrayList<>();
        final boolean upsampleToSkipSize;

        PassState(NDArray stem, int totalDownscale) {
            hidden = stem;
            skips.add(stem);
            Shape s = stem.getShape();
            upsampleToSkipSize = s.get(2) % totalDownscale != 0 || s.get(3) % totalDownscale != 0;
        }
    }

    /** The factor by which the down path shrinks the latent: one halving per downsampler. */
    private int totalDownscale() {
        return 1 << (int) downBlocks.stream().filter(b -> !b.downsamplers().isEmpty()).count();
    }

    /** The array whose size the upsampler of the up block ending at layer {@code end} resizes to, or null to double. */
    private NDArray upsampleSize(PassState path, int end) {
        int next = skipCount - 1 - end;
        return path.upsampleToSkipSize && next >= 0 ? path.skips.get(next) : null;
    }

    /**
     * Continues the down path until {@code until} skip connections exist: a block wholly inside the range
     * through its own part, a block the range ends inside output by output.
     */
    private void down(ForwardContext ctx, PassState path, int until, NDArray temb, NDArray context) {
        int start = 1;
        for (DownBlock block : downBlocks) {
            int end = start + block.outputCount();
            int have = path.skips.size();
            if (have < end && have < until) {
                if (have == start && end <= until) {
                    DownBlockOutput out = block.forward(ctx, path.hidden, temb, context);
                    path.skips.addAll(out.skips());
                    path.hidden = out.hidden();
                } else {
                    for (int j = have - start; j < Math.min(end, until) - start; j++) {
                        path.hidden = block.output(ctx, j, path.hidden, temb, context);
                        path.skips.add(path.hidden);
                    }
                }
            }
            start = end;
        }
    }

    /**
     * Runs up layers {@code from} (inclusive) to {@code to} (exclusive), counted over the whole up path; layer
     * {@code u} consumes skip {@code skipCount - 1 - u}. A block wholly inside the range runs through its
     * own part; a block cut by the range layer by layer, with its upsampler if its last layer ran.
     */
    private void up(ForwardContext ctx, PassState path, int from, int to, NDArray temb, NDArray context) {
        int start = 0;
        for (UpBlock block : upBlocks) {
            int end = start + block.layerCount();
            if (end > from && start < to) {
                if (start >= from && end <= to) {
                    List<NDArray> skips = new ArrayList<>();
                    for (int u = start; u < end; u++) {
                        skips.add(path.skips.get(skipCount - 1 - u));
                    }
                    path.hidden = block.forward(ctx, path.hidden, skips, temb, context, upsampleSize(path, end));
                } else {
                    for (int u = Math.max(start, from); u < Math.min(end, to); u++) {
                        path.hidden = block.layer(ctx, u - start, path.hidden, path.skips.get(skipCount - 1 - u),
                                temb, context);
                    }
                    if (to >= end && !block.upsamplers().isEmpty()) {
                        path.hidden = block.upsample(ctx, path.hidden, upsampleSize(path, end));
                    }
                }
            }
            start = end;
        }
    }

    private void checkInputs(NDArray sample, NDArray timestep, NDArray context) {
        Shape s = sample.getShape();
        if (s.dimension() != 4 || s.get(1) != config.inChannels()) {
            throw new InputShapeException("UNet sample must be [B, " + config.inChannels() + ", H, W], got " + s);
        }
        long batch = s.get(0);
        long steps = timestep.getShape().size();
        if (steps != 1 && !(timestep.getShape().dimension() == 1 && steps == batch)) {
            throw new InputShapeException("UNet timestep must be a scalar or [" + batch + "], got "
                    + timestep.getShape());
        }
        Shape c = context.getShape();
        int crossDim = config.crossAttentionDim().get(0);
        if (c.dimension() != 3 || c.get(0) != batch || c.get(2) != crossDim) {
            throw new InputShapeException("UNet encoder_hidden_states must be [" + batch + ", M, " + crossDim
                    + "], got " + c);
        }
    }
}
