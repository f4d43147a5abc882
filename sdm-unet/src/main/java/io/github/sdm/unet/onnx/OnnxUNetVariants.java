package io.github.sdm.unet.onnx;

import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.graph.UNetCut;
import io.github.sdm.unet.graph.UNetGraph;
import io.github.sdm.unet.graph.UNetGraphVariant;
import io.github.sdm.unet.graph.strategy.UNetGraphs;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variants of a built UNet graph that feature inheritance runs ({@link UNetCut}), for one loaded model: each built
 * from the same emitter, with the loaded graph's weight storage, when first asked for and opened in a session of its
 * own at its first call, then kept for every later generation. The loaded graph ({@link UNetGraph#loaded}) returns
 * every deep feature, so DeepCache's caching passes run on it and only the reuse passes (the shallow branches) open
 * sessions. Every variant's session takes its weights from the loaded UNet's session (the same initializer tensors:
 * over the mapped checkpoint, or converted to float16, bfloat16 or int8 values and scales, LoRA merged), so the
 * checkpoint is neither read nor converted again and a variant computes with exactly the loaded graph's values; ONNX
 * Runtime's own per-session copies (pre-packed and folded weights) are made for the weights each variant keeps.
 *
 * <p>Stage residency: {@link #release()} closes the variants' sessions before the loaded graph is released (they read
 * its tensors); after it is loaded again each variant opens again at its next call, on the new tensors. Thread-safe.
 */
final class OnnxUNetVariants implements UNetGraphs, AutoCloseable {
    private final UNetConfig config;
    private final WeightSource weights;
    private final OnnxGraph base;
    private final GraphSettings settings;
    private final Path label;
    private final List<String> points;
    private final Map<UNetCut, UNetGraphVariant> built = new HashMap<>();
    private final Map<UNetCut, OnnxGraph> opened = new HashMap<>();
    private int opens;

    /**
     * @param base the loaded UNet's graph ({@link UNetCut#NONE})
     * @param weights the UNet's weights: only their names and shapes are read
     */
    OnnxUNetVariants(UNetConfig config, WeightSource weights, OnnxGraph base, GraphSettings settings, Path label) {
        this.config = config;
        this.weights = weights;
        this.base = base;
        this.settings = settings;
        this.label = label;
        this.points = UNetGraph.variant(config, weights, settings.weightStorage(), UNetCut.NONE).points();
    }

    @Override
    public List<String> points() {
        return points;
    }

    @Override
    public int skipCount() {
        return UNetGraph.skipCount(config);
    }

    @Override
    public int downBlocks() {
        return config.blockCount();
    }

    @Override
    public synchronized Set<String> fedInputs(UNetCut cut) {
        return variant(cut).fed();
    }

    /**
     * The session of {@code cut}'s variant: the loaded graph when nothing is fed and the loaded graph exposes what
     * {@code cut} does ({@link UNetGraph#loadedCut}: every deep feature), else the variant's own, opened at first use.
     */
    synchronized OnnxGraph graph(UNetCut cut) {
        if (cut.fed().isEmpty() && base.outputs().keySet().containsAll(cut.exposed())) {
            return base;
        }
        OnnxGraph graph = opened.get(cut);
        if (graph == null) {
            graph = settings.openVariant(variant(cut).graph(), base, label.resolveSibling("[unet graph variant built by "
                    + "sdm, feeding " + cut.fed().size() + " and exposing " + cut.exposed().size() + " points]"));
            opened.put(cut, graph);
            opens++;
        }
        return graph;
    }

    private UNetGraphVariant variant(UNetCut cut) {
        return built.computeIfAbsent(cut, c -> UNetGraph.variant(config, weights, settings.weightStorage(), c));
    }

    /**
     * Closes the variants' sessions, so that the loaded graph can be released (stage residency); each opens again
     * at its next call. The built variants are kept: they hold no weights.
     */
    synchronized void release() {
        List<OnnxGraph> graphs = new ArrayList<>(opened.values());
        opened.clear();
        OnnxNetworks.closeAll(graphs);
    }

    /** The variants' sessions open now (for tests). */
    synchronized int openSessions() {
        return opened.size();
    }

    /** Variant sessions opened so far, again after a release included (for tests). */
    synchronized int opens() {
        return opens;
    }

    /** Closes the variants' sessions (before the loaded graph, whose weights they read). */
    @Override
    public synchronized void close() {
        List<OnnxGraph> graphs = new ArrayList<>(opened.values());
        opened.clear();
        built.clear();
        OnnxNetworks.closeAll(graphs);
    }
}
