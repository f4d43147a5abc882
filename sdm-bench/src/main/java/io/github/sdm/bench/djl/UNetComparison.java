package io.github.sdm.bench.djl;

import ai.djl.ndarray.NDManager;
import io.github.sdm.bench.perf.Durations;
import io.github.sdm.bench.perf.Flops;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times several UNets (a teacher and its students) in one run, call by call in turn: every round calls each
 * UNet once, so a change in the machine's load during the run reaches all of them alike and their time ratios
 * stay meaningful on a shared machine. All UNets are loaded at once.
 */
public final class UNetComparison {
    private UNetComparison() {
    }

    /**
     * One UNet's calls.
     *
     * @param folder the UNet folder
     * @param parameters its parameter count
     * @param flopsPerCall one call's operations (counted by the part profiler)
     * @param calls the measured calls' wall times
     */
    public record Row(Path folder, long parameters, Flops flopsPerCall, Durations calls) {
    }

    /**
     * @param unetFolders the UNets, the reference first
     * @param settings the calls: {@code warmup} unmeasured calls of each UNet (at least one: it also counts the
     *     FLOPs), then {@code runs} rounds of one measured call each
     * @param progress where loading and round progress lines go
     */
    public static List<Row> run(List<Path> unetFolders, UNetCallBench.Settings settings, PrintWriter progress) {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<UNet2DConditionModel> unets = new ArrayList<>();
            try {
                for (Path folder : unetFolders) {
                    progress.println("loading " + folder + "...");
                    progress.flush();
                    unets.add(UNet2DConditionModel.load(folder, manager));
                }
                UNetCallBench.Settings oneCall = new UNetCallBench.Settings(settings.imageSize(), settings.batch(), 0, 1,
                        settings.attentionSliceSize(), settings.seed());
                UNetCallBench.Settings warmUp = new UNetCallBench.Settings(settings.imageSize(), settings.batch(),
                        Math.max(0, settings.warmup() - 1), 1, settings.attentionSliceSize(), settings.seed());
                List<Flops> flops = new ArrayList<>();
                for (UNet2DConditionModel unet : unets) {
                    flops.add(UNetCallBench.run(unet, warmUp, manager).flopsPerCall());
                }
                List<List<Long>> nanos = new ArrayList<>();
                unets.forEach(u -> nanos.add(new ArrayList<>()));
                for (int round = 0; round < settings.runs(); round++) {
                    progress.println("round " + (round + 1) + " of " + settings.runs() + "...");
                    progress.flush();
                    for (int i = 0; i < unets.size(); i++) {
                        nanos.get(i).add(UNetCallBench.run(unets.get(i), oneCall, manager).calls().values().get(0)
                                .toNanos());
                    }
                }
                List<Row> rows = new ArrayList<>();
                for (int i = 0; i < unets.size(); i++) {
                    long parameters = unets.get(i).allParameters().values().stream()
                            .mapToLong(p -> Arrays.stream(p.shape()).reduce(1, Math::multiplyExact)).sum();
                    rows.add(new Row(unetFolders.get(i), parameters, flops.get(i), Durations.ofNanos(nanos.get(i))));
                }
                return rows;
            } finally {
                unets.forEach(UNet2DConditionModel::close);
            }
        }
    }
}
