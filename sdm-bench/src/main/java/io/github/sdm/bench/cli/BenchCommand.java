package io.github.sdm.bench.cli;

import io.github.sdm.assembly.djl.switching.LoadedUNet;
import io.github.sdm.bench.pipeline.BenchScenario;
import io.github.sdm.bench.pipeline.BenchSettings;
import io.github.sdm.bench.pipeline.Comparison;
import io.github.sdm.bench.pipeline.Comparisons;
import io.github.sdm.bench.pipeline.LatentDeviation;
import io.github.sdm.bench.pipeline.PipelineBench;
import io.github.sdm.bench.pipeline.StableDiffusionRunner;
import io.github.sdm.bench.pipeline.StageSummary;
import io.github.sdm.bench.pipeline.StudentScenarios;
import io.github.sdm.bench.report.Format;
import io.github.sdm.bench.report.MachineInfo;
import io.github.sdm.bench.report.ReportFooter;
import io.github.sdm.bench.report.PipelineReport;
import io.github.sdm.bench.report.ResidentPeak;
import io.github.sdm.core.Mode;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Residency;
import io.github.sdm.core.tensor.FloatTensor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sdm bench}: where every performance claim is measured. By itself it times whole generations
 * stage by stage (warm-up, then measured runs) and, with {@code --compare}, compares scenarios within
 * one run; its subcommands measure the matmul ceiling and single UNet calls.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time whole generations stage by stage and print a Markdown report (median and range of "
                + "each stage, end to end, peak memory, the machine and the command line).",
                "Subcommands: 'ceiling' (matmul throughput), 'unet' (UNet call time, FLOPs, breakdown), 'backends' "
                        + "(one model on several backends, stage by stage, in one run), 'deviation'"
                        + " (feature inheritance's effect on the result), 'quality' (prompt fidelity, realism and deviation on"
                        + " the emoji data), 'tool' (the measurement tools)."},
        subcommands = {CeilingCommand.class, UNetBenchCommand.class, BackendsBenchCommand.class, DeviationCommand.class,
                QualityCommand.class, ToolCommand.class})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", description = "Diffusers model folder (default: the embedded emoji model; "
            + "'sdm make-model' writes a full-size one).")
    Path model;

    @Option(names = "--vae", paramLabel = "FOLDER", description = "The VAE from this diffusers folder, as for 'sdm "
            + "generate' (e.g. a TAESD: 'sdm make-model --taesd' writes one to MODEL/taesd).")
    Path vae;

    @Option(names = "--size", defaultValue = "512", description = "Image width and height in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--steps", defaultValue = "20", description = "Sampling steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--sampler", defaultValue = "dpmpp_2m", description = "Sampler, as for 'sdm generate' (default: ${DEFAULT-VALUE}).")
    String sampler;

    @Option(names = "--guidance", defaultValue = "7.5", description = "Guidance scale (default: ${DEFAULT-VALUE}).")
    double guidance;

    @Option(names = "--prompt", defaultValue = BenchSettings.DEFAULT_PROMPT, description = "Prompt (default: ${DEFAULT-VALUE}).")
    String prompt;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every generation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--warmup", defaultValue = "1", description = "Unmeasured generations per scenario (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "3", description = "Measured generations per scenario (default: ${DEFAULT-VALUE}).")
    int runs;

    @Mixin
    PrecisionOptions precision = new PrecisionOptions();

    @Option(names = "--threads", defaultValue = "0", description = "Threads for the networks; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--attention-slice", defaultValue = "0",
            description = "Attention rows computed at once; 0 = all (default: ${DEFAULT-VALUE}).")
    int attentionSlice;

    @Option(names = "--backend", description = LoadOptionDescriptions.BACKEND)
    String backend;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}); "
            + "a GPU needs sdm-cuda's natives (docs/gpu.md, scripts/gpu-check).")
    String device;

    @Option(names = "--residency", defaultValue = "resident", paramLabel = "resident|per-stage",
            description = ResidencyOption.DESCRIPTION)
    String residency;

    @Option(names = "--weight-paging", description = LoadOptionDescriptions.WEIGHT_PAGING)
    boolean weightPaging;

    @Option(names = "--img2img", description = "Time img2img generations from a synthetic image of --size, so the "
            + "VAE encoder is timed too (default: txt2img).")
    boolean img2img;

    @Option(names = "--strength", defaultValue = "0.8", description = "With --img2img: the strength; the UNet runs "
            + "about strength x steps calls (default: ${DEFAULT-VALUE}).")
    double strength;

    @Option(names = "--save-latents", paramLabel = "FILE", description = "Write the final latents of the last "
            + "measured generation to this safetensors file (tensor 'latents'), a reference for --reference-latents.")
    Path saveLatents;

    @Option(names = "--reference-latents", paramLabel = "FILE", description = "Report how far the final latents of the "
            + "last measured generation lie from these (written by --save-latents from a run with the same size, seed "
            + "and steps, e.g. with fp32 weights): largest and mean absolute difference.")
    Path referenceLatents;

    @Option(names = "--compare", description = "Compare scenarios within this run: ${COMPLETION-CANDIDATES}.",
            completionCandidates = ComparisonNames.class)
    String compare;

    @Option(names = "--student", paramLabel = "FOLDER", description = "Also time every scenario with all UNet calls "
            + "on the UNet of FOLDER (a model folder, e.g. from sdm assemble, or a UNet folder; loaded on DJL), "
            + "interleaved with the model's in the same rounds: teacher and student end to end in one run.")
    Path student;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Comparison comparison = compare == null ? null : Comparisons.named(compare);
        if (student != null && backend != null && !backend.equals("djl")) {
            // the student is a DJL UNet: on another backend the teacher and the student would not compare
            throw new InvalidRequestException("--student runs on DJL; it cannot be compared with --backend " + backend);
        }
        BenchSettings settings = settings();
        BenchScenario requested = new BenchScenario(sampler + " " + steps + " steps", sampler, steps, guidance);
        List<BenchScenario> scenarios = comparison == null ? List.of(requested) : comparison.scenarios(requested);
        Path folder = model != null ? model : EmbeddedModel.folder();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        out.println("## sdm bench");
        out.println();
        out.println("Command: `" + Invocation.of(spec) + "`  ");
        out.println("Machine at start: " + MachineInfo.current().describe());
        out.flush();
        long loadStart = System.nanoTime();
        List<StageSummary> results;
        Residency policy = ResidencyOption.parse(residency);
        ResidentPeak peaks = new ResidentPeak();
        FloatTensor reference = referenceLatents == null ? null
                : LatentsFile.read("--reference-latents", referenceLatents);
        if (saveLatents != null) {
            WritableFiles.require("--save-latents", saveLatents);
        }
        ModelLocation location = vae == null ? ModelLocation.folder(folder)
                : ModelLocation.folder(folder).withComponent("vae", vae);
        LatentDeviation deviation = null;
        try (StableDiffusion sd = StableDiffusion.load(location, precision.applyTo(LoadOptions.defaults()
                .withThreads(threads).withAttentionSliceSize(attentionSlice).withBackend(backend).withDevice(device)
                .withResidency(policy).withWeightPaging(weightPaging)));
                LoadedUNet second = student == null ? null : LoadedUNet.load(student)) {
            if (second != null) {
                scenarios = StudentScenarios.withStudent(scenarios, second);
            }
            Duration load = Duration.ofNanos(System.nanoTime() - loadStart);
            out.println("Model: " + folder + (vae == null ? "" : " with the VAE of " + vae) + " (loaded in "
                    + Format.duration(load) + "); " + size + "x" + size
                    + ", prompt \"" + prompt + "\", seed " + seed + ", " + warmup + " warm-up + " + runs
                    + " measured generations per scenario, threads " + (threads == 0 ? "all" : threads)
                    + ", attention " + (attentionSlice == 0 ? "unsliced" : "sliced by " + attentionSlice)
                    + ", device " + device + ", weights " + precision.weights + ", compute " + precision.compute
                    + ", " + (img2img ? "img2img (strength " + strength + ")" : "txt2img") + ", residency "
                    + ResidencyOption.label(policy) + (weightPaging ? ", weight paging" : ""));
            out.println();
            out.flush();
            StableDiffusionRunner runner = new StableDiffusionRunner(sd);
            results = PipelineBench.run(runner, scenarios, settings, line -> {
                err.println(line);
                err.flush();
            }, peaks);
            if (saveLatents != null) {
                LatentsFile.write(saveLatents, runner.lastLatents());
            }
            if (reference != null) {
                deviation = LatentDeviation.between(reference, runner.lastLatents());
            }
        }
        for (StageSummary s : results) {
            out.println("### " + s.scenario().label() + String.format(Locale.ROOT, " (guidance %.1f)",
                    s.scenario().guidance()));
            out.println();
            out.print(PipelineReport.stageTable(s).render());
            out.println();
            String peakLine = PipelineReport.peakResidentLine(s);
            if (!peakLine.isEmpty()) {
                out.println(peakLine + (peaks.resettable() ? " (VmHWM reset before each generation)"
                        : " (VmHWM could not be reset: peaks since the process started)"));
                out.println();
            }
        }
        if (comparison != null || student != null) {
            out.println("### Comparison" + (comparison == null ? "" : " '" + comparison.name() + "': "
                    + comparison.description()) + (student == null ? "" : (comparison == null ? ":" : ";")
                    + " each scenario also on the student " + student + " (every UNet call on its UNet)"));
            out.println();
            out.println("Generations interleaved (one of each scenario per round), so all share the machine's load.");
            out.println();
            out.print(PipelineReport.comparisonTable(results).render());
            out.println();
        }
        if (deviation != null) {
            out.println(String.format(Locale.ROOT, "Final latents against %s: max abs %.3e, mean abs %.3e  ",
                    referenceLatents, deviation.maxAbs(), deviation.meanAbs()));
        }
        ReportFooter.print(out);
        out.flush();
        return 0;
    }

    private BenchSettings settings() {
        if (size <= 0 || size % 8 != 0) {
            throw new InvalidRequestException("--size must be a positive multiple of 8, got " + size);
        }
        if (steps < 1) {
            throw new InvalidRequestException("--steps must be >= 1, got " + steps);
        }
        if (runs < 1 || warmup < 0) {
            throw new InvalidRequestException("--runs must be >= 1 and --warmup >= 0, got " + runs + " and " + warmup);
        }
        if (img2img && !(strength > 0 && strength <= 1)) {
            throw new InvalidRequestException("--strength must be in (0, 1], got " + strength);
        }
        return new BenchSettings(prompt, size, size, seed, warmup, runs, img2img ? Mode.IMG2IMG : Mode.TXT2IMG,
                strength);
    }

    /** The names {@code --compare} accepts, for help and completion. */
    static final class ComparisonNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Comparisons.all().keySet().iterator();
        }
    }
}
