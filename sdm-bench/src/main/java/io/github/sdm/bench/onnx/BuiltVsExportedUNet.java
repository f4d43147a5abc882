package io.github.sdm.bench.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.sdm.bench.report.MachineInfo;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.graph.BuiltGraph;
import io.github.sdm.unet.graph.GraphWeight;
import io.github.sdm.unet.graph.UNetGraph;
import io.github.sdm.unet.weights.WeightSource;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code sdm bench tool built-vs-export MODEL EXPORT [size=256] [runs=4]}: the UNet graph sdm builds from a diffusers
 * folder against the same weights exported to ONNX by PyTorch ({@code EXPORT/unet/model.onnx}, e.g. by
 * {@code shared/tools/onnx-peer/export_onnx.py}), both on ONNX Runtime with the onnx backend's session settings
 * (optimizations ALL, sequential, memory arena and pattern, default threads), one call of each in turn per round on the
 * same inputs (batch 2, seeded latents and text embedding, timestep 500). Prints the session creation times, each call,
 * the median ratio and the largest difference between the two outputs.
 */
public final class BuiltVsExportedUNet {
    private BuiltVsExportedUNet() {
    }

    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    /** As {@link #main}, printing to {@code out}. */
    public static void run(String[] args, PrintStream out) throws Exception {
        if (args.length < 2) {
            throw new InvalidRequestException("built-vs-export needs MODEL (a diffusers folder) and EXPORT (an ONNX "
                    + "export of its weights), then optionally size=N runs=N");
        }
        Path model = Path.of(args[0]);
        Path export = Path.of(args[1]);
        int size = 256;
        int runs = 4;
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            switch (kv[0]) {
                case "size" -> size = Integer.parseInt(kv[1]);
                case "runs" -> runs = Integer.parseInt(kv[1]);
                default -> throw new InvalidRequestException("built-vs-export: unknown argument '" + args[i] + "'");
            }
        }
        out.println("Machine at start: " + MachineInfo.current().describe());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long t0 = System.nanoTime();
        List<OnnxTensor> weights = new ArrayList<>();
        try (OrtSession.SessionOptions exportOptions = options();
                OrtSession exported = env.createSession(export.resolve("unet/model.onnx").toString(), exportOptions);
                SafetensorsWeights file = SafetensorsWeights.openComponent(model.resolve("unet"));
                OrtSession.SessionOptions builtOptions = options()) {
            long t1 = System.nanoTime();
            UNetConfig config = UNetConfig.read(model.resolve("unet/config.json"));
            BuiltGraph graph = UNetGraph.build(config, WeightSource.of(file));
            Map<String, OnnxTensorLike> initializers = new LinkedHashMap<>();
            for (GraphWeight w : graph.weights()) {
                OnnxTensor t = OnnxTensor.createTensor(env, w.float32Bytes(), w.dims(), OnnxJavaType.FLOAT);
                weights.add(t);
                initializers.put(w.name(), t);
            }
            builtOptions.addExternalInitializers(initializers);
            try (OrtSession built = env.createSession(
                    ByteBuffer.allocateDirect(graph.model().length).put(graph.model()).flip(), builtOptions)) {
                long t2 = System.nanoTime();
                out.printf(Locale.ROOT, "session creation: export %.1f s, built %.1f s (graph %,d bytes)%n",
                        (t1 - t0) / 1e9, (t2 - t1) / 1e9, graph.model().length);
                compare(env, exported, built, config, size, runs, out);
            }
        } finally {
            weights.forEach(OnnxTensor::close);
        }
        out.println("Machine at end: load average " + MachineInfo.current().loadAverage());
    }

    private static void compare(OrtEnvironment env, OrtSession exported, OrtSession built, UNetConfig config, int size,
            int runs, PrintStream out) throws OrtException {
        int side = size / 8;
        int channels = config.inChannels();
        int width = config.crossAttentionDim().get(0);
        Random random = new Random(0);
        float[] sample = gaussian(random, 2 * channels * side * side);
        float[] text = gaussian(random, 2 * 77 * width);
        Map<String, OnnxTensor> builtIn = new LinkedHashMap<>();
        builtIn.put("sample", OnnxTensor.createTensor(env, FloatBuffer.wrap(sample), new long[] {2, channels, side, side}));
        builtIn.put("timestep", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {500, 500}), new long[] {2}));
        builtIn.put("encoder_hidden_states", OnnxTensor.createTensor(env, FloatBuffer.wrap(text),
                new long[] {2, 77, width}));
        Map<String, OnnxTensor> exportIn = new LinkedHashMap<>();
        List<OnnxTensor> own = new ArrayList<>();
        for (NodeInfo input : exported.getInputInfo().values()) {
            TensorInfo info = (TensorInfo) input.getInfo();
            String name = input.getName();
            String role = name.contains("time") ? "timestep" : name.contains("hidden") ? "encoder_hidden_states" : "sample";
            OnnxTensor t = builtIn.get(role);
            if (role.equals("timestep") && info.type != OnnxJavaType.FLOAT) {
                t = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {500, 500}), new long[] {2});
                own.add(t);
            }
            exportIn.put(name, t);
        }
        List<Long> exportNanos = new ArrayList<>();
        List<Long> builtNanos = new ArrayList<>();
        float[] exportOut = null;
        float[] builtOut = null;
        for (int call = 0; call <= runs; call++) {
            long start = System.nanoTime();
            try (OrtSession.Result r = exported.run(exportIn)) {
                exportOut = ((OnnxTensor) r.get(0)).getFloatBuffer().array();
            }
            long middle = System.nanoTime();
            try (OrtSession.Result r = built.run(builtIn)) {
                builtOut = ((OnnxTensor) r.get(0)).getFloatBuffer().array();
            }
            long end = System.nanoTime();
            out.printf(Locale.ROOT, "call %d: export %.2f s, built %.2f s%s%n", call + 1, (middle - start) / 1e9,
                    (end - middle) / 1e9, call == 0 ? " (warm-up)" : "");
            if (call > 0) {
                exportNanos.add(middle - start);
                builtNanos.add(end - middle);
            }
        }
        double max = 0;
        double peak = 0;
        for (int i = 0; i < exportOut.length; i++) {
            max = Math.max(max, Math.abs(exportOut[i] - builtOut[i]));
            peak = Math.max(peak, Math.abs(exportOut[i]));
        }
        long exportMedian = median(exportNanos);
        long builtMedian = median(builtNanos);
        out.printf(Locale.ROOT, "%dx%d, batch 2: median export %.2f s, built %.2f s, export / built %.2f; "
                + "largest difference of the outputs %.3g (peak %.3g)%n", size, size, exportMedian / 1e9,
                builtMedian / 1e9, (double) exportMedian / builtMedian, max, peak);
        builtIn.values().forEach(OnnxTensor::close);
        own.forEach(OnnxTensor::close);
    }

    /** The onnx backend's session settings ({@code unet.onnx.GraphSettings}) on the CPU with default threads. */
    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        o.setCPUArenaAllocator(true);
        o.setMemoryPatternOptimization(true);
        return o;
    }

    private static float[] gaussian(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static long median(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
