package io.github.sdm.bench.cli;

import static io.github.sdm.bench.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.bench.cli.CliRunner.Result;
import io.github.sdm.core.testkit.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sdm bench}, {@code sdm bench unet|ceiling} and {@code sdm make-model} from the command line (no timing asserted). */
class BenchCommandTest {
    static final String MODEL = TestData.tinySd().toString();

    @Test
    void aBenchReportNamesTheCommandTheMachineEveryStageAndMemory() {
        Result r = run("bench", "--model", MODEL, "--size", "64", "--steps", "2", "--warmup", "0", "--runs", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Command: `sdm bench --model " + MODEL + " --size 64 --steps 2 --warmup 0 --runs 2`"),
                r.out());
        assertTrue(r.out().contains(Runtime.getRuntime().availableProcessors() + " cores"), r.out());
        for (String row : new String[] {"| text encoding", "| UNet, per call (2 calls)", "| UNet, all calls",
                "| sampler arithmetic, per call", "| VAE decode", "| end to end"}) {
            assertTrue(r.out().contains(row), "no row " + row + " in\n" + r.out());
        }
        assertTrue(r.out().contains("Memory: peak RSS"), r.out());
        assertEquals(2, r.err().lines().filter(l -> l.startsWith("run ")).count(), r.err());
    }

    @Test
    void anUnknownPrecisionIsRefusedNamingTheOption() {
        Result r = run("bench", "--model", MODEL, "--weights", "fp8");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--weights: expected fp32, fp16, bf16 or int8, got 'fp8'"), r.err());
    }

    @Test
    void aGpuTheNativesCannotUseIsAnErrorNamingTheDevice() {
        // the test class path has DJL's CPU natives, which see no GPU on any machine
        Result r = run("bench", "--model", MODEL, "--size", "64", "--steps", "1", "--warmup", "0", "--runs", "1",
                "--device", "gpu:0");
        assertTrue(r.code() != 0, r.out());
        assertTrue(r.err().contains("device 'gpu:0'") && r.err().contains("docs/gpu.md"), r.err());
    }

    @Test
    void img2imgPerStageTimesTheVaeEncoderTheLoadsAndThePeakOfEveryGeneration() {
        Result r = run("bench", "--model", MODEL, "--size", "64", "--steps", "2", "--warmup", "1", "--runs", "1",
                "--img2img", "--strength", "1", "--residency", "per-stage");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("img2img (strength 1.0), residency per-stage"), r.out());
        for (String row : new String[] {"| image encoding (VAE encoder)", "| loading and releasing networks (per stage)"}) {
            assertTrue(r.out().contains(row), "no row " + row + " in\n" + r.out());
        }
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| UNet, per call (2 calls)") && l.contains(" (first call) |")),
                r.out());
        assertTrue(r.out().contains("Peak RSS per generation: first "), r.out());
        Result bad = run("bench", "--model", MODEL, "--residency", "lazy");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--residency: expected resident or per-stage, got 'lazy'"), bad.err());
    }

    @Test
    void aVariantsFinalLatentsAreComparedWithAReferenceRunsAndTheVaeCanBeReplaced(@TempDir Path dir) {
        Path reference = dir.resolve("reference.safetensors");
        String[] shared = {"bench", "--model", MODEL, "--size", "64", "--steps", "2", "--warmup", "0", "--runs", "1"};
        Result fp32 = run(concat(shared, "--save-latents", reference.toString()));
        assertEquals(0, fp32.code(), fp32.err());
        assertTrue(Files.isRegularFile(reference));
        // the same variant again computes the same latents; int8 weights other ones
        Result same = run(concat(shared, "--reference-latents", reference.toString()));
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("Final latents against " + reference + ": max abs 0.000e+00, mean abs 0.000e+00"),
                same.out());
        Result int8 = run(concat(shared, "--weights", "int8", "--reference-latents", reference.toString()));
        assertEquals(0, int8.code(), int8.err());
        String line = int8.out().lines().filter(l -> l.startsWith("Final latents against ")).findFirst().orElseThrow();
        assertFalse(line.contains("max abs 0.000e+00"), line);
        // the VAE only decodes: a TAESD in its place leaves the latents as they were
        Result taesd = run(concat(shared, "--vae", GenerateCommandTest.TAESD.toString(), "--reference-latents",
                reference.toString()));
        assertEquals(0, taesd.code(), taesd.err());
        assertTrue(taesd.out().contains("with the VAE of " + GenerateCommandTest.TAESD), taesd.out());
        assertTrue(taesd.out().contains("max abs 0.000e+00, mean abs 0.000e+00"), taesd.out());
        Result otherSize = run("bench", "--model", MODEL, "--size", "128", "--steps", "2", "--warmup", "0", "--runs", "1",
                "--reference-latents", reference.toString());
        assertTrue(otherSize.code() != 0, otherSize.out());
        assertTrue(otherSize.err().contains("the reference latents have shape [1, 4, 8, 8], these [1, 4, 16, 16]"),
                otherSize.err());
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void theSamplerComparisonTimesFourScenariosInOneRun() {
        Result r = run("bench", "--model", MODEL, "--size", "64", "--warmup", "0", "--runs", "1", "--compare", "samplers");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("### Comparison 'samplers'"), r.out());
        String table = r.out().substring(r.out().indexOf("| scenario"));
        for (String row : new String[] {"| PNDM 50 ", "| DPM-Solver++ 20 ", "| DPM-Solver++ 10 ", "| LCM 4 "}) {
            assertTrue(table.contains(row), "no row " + row + " in\n" + table);
        }
        assertTrue(table.lines().filter(l -> l.startsWith("| PNDM 50 ")).allMatch(l -> l.contains("|    1.00x |")), table);
    }

    /**
     * With --student every scenario runs again with all UNet calls on the student, in the same rounds: the student's
     * twin computes the latents the student computes as the model's UNet, bit for bit, and not the teacher's.
     */
    @Test
    void aStudentIsTimedEndToEndBesideItsTeacherAndComputesItsOwnLatents(@TempDir Path dir) {
        Path student = dir.resolve("student");
        assertEquals(0, run("assemble", "--from", MODEL, "--preset", "bk-small", "--out", student.toString()).code());
        Path last = dir.resolve("last.safetensors");
        String[] shared = {"bench", "--size", "64", "--steps", "3", "--warmup", "0", "--runs", "1"};
        Result both = run(concat(shared, "--model", MODEL, "--compare", "deepcache", "--student", student.toString(),
                "--save-latents", last.toString()));
        assertEquals(0, both.code(), both.err());
        assertTrue(both.out().contains("### Comparison 'deepcache': full UNet computation vs the deepcache preset "
                + "(block:2:interval=3), same sampler and steps; each scenario also on the student " + student), both.out());
        String table = both.out().substring(both.out().indexOf("| scenario"));
        List<String> rows = table.lines().takeWhile(l -> l.startsWith("| ")).skip(2)
                .map(l -> l.substring(2, l.indexOf(" |")).trim()).toList();
        assertEquals(List.of("full", "deepcache", "full, student", "deepcache, student"), rows, table);
        // the last generation is the student's with DeepCache: the student as the model with DeepCache draws it
        Result alone = run(concat(shared, "--model", student.toString(), "--compare", "deepcache",
                "--reference-latents", last.toString()));
        assertEquals(0, alone.code(), alone.err());
        assertTrue(alone.out().contains("max abs 0.000e+00, mean abs 0.000e+00"), alone.out());
        Result teacher = run(concat(shared, "--model", MODEL, "--compare", "deepcache",
                "--reference-latents", last.toString()));
        assertEquals(0, teacher.code(), teacher.err());
        assertFalse(teacher.out().contains("max abs 0.000e+00"), teacher.out());
        Result onnx = run(concat(shared, "--model", MODEL, "--backend", "onnx", "--student", student.toString()));
        assertEquals(2, onnx.code(), onnx.out());
        assertTrue(onnx.err().contains("--student runs on DJL; it cannot be compared with --backend onnx"), onnx.err());
    }

    @Test
    void theUNetBenchCountsFlopsAndBreaksTheCallDown() {
        Result r = run("bench", "unet", "--model", MODEL, "--sizes", "64", "--warmup", "0", "--runs", "1",
                "--no-ceiling", "--top-parts", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| 64x64 "), r.out());
        assertTrue(r.out().contains("attention core (softmax(QK^T)V, head reshapes)"), r.out());
        assertTrue(r.out().contains("| total "), r.out());
        assertTrue(r.out().contains("text embedding [2, 77, 32]"), r.out());
        assertFalse(r.out().contains("### Matmul ceiling"), "--no-ceiling: " + r.out());
    }

    @Test
    void theUNetBenchHoldsTheWeightsAsAskedAndReportsTheirBytes() {
        Result fp32 = run("bench", "unet", "--model", MODEL, "--sizes", "64", "--warmup", "0", "--runs", "1",
                "--no-ceiling");
        Result int8 = run("bench", "unet", "--model", MODEL, "--sizes", "64", "--warmup", "0", "--runs", "1",
                "--no-ceiling", "--weights", "int8");
        assertEquals(0, int8.code(), int8.err());
        assertTrue(fp32.out().contains("weights held as FP32 (3.2 MiB"), fp32.out());
        assertTrue(int8.out().contains("weights held as INT8 (") && int8.out().contains("computed in FP32"), int8.out());
        Result random = run("bench", "unet", "--sizes", "64", "--weights", "fp16");
        assertEquals(2, random.code());
        assertTrue(random.err().contains("--weights fp16 --compute fp32 need --model"), random.err());
        Result kernels = run("bench", "tool", "half-kernels", "rounds=1", "c=8", "hw=4");
        assertEquals(0, kernels.code(), kernels.err());
    }

    @Test
    void theCeilingListsEveryProductShape() {
        Result r = run("bench", "ceiling", "--warmup", "0", "--runs", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| 2048x2048 * 2048x2048 "), r.out());
        assertTrue(r.out().contains("| 16 x 4096x40 * 40x4096 "), r.out());
        assertTrue(r.out().contains("Ceiling (best median): "), r.out());
    }

    @Test
    void measurementToolsRunWithTheirOwnArguments() {
        // a kernel-route micro-benchmark at a toy size, and a tool whose options look like sdm's own
        assertEquals(0, run("bench", "tool", "conv-split", "b=1", "c=16", "out=16", "hw=4", "parts=1,2", "rounds=1")
                .code());
        Result inheritance = run("bench", "tool", "inheritance", "deviation", "--specs", "block:2:interval=2");
        assertEquals(0, inheritance.code(), inheritance.err());
        Result taesd = run("bench", "tool", "vae-decode", "vae=taesd", "size=64", "calls=1");
        assertEquals(0, taesd.code(), taesd.err());
        Result vae = run("bench", "tool", "vae-decode", "vae=tiny");
        assertEquals(2, vae.code());
        assertTrue(vae.err().contains("tool vae-decode: vae must be kl or taesd, got 'tiny'"), vae.err());
    }

    @Test
    void badOptionsAreOneLineErrorsNamingTheValue(@TempDir Path dir) throws Exception {
        Result compare = run("bench", "--model", MODEL, "--compare", "nope");
        assertEquals(2, compare.code());
        assertTrue(compare.err().contains("'nope'") && compare.err().contains("samplers"), compare.err());

        Result backend = run("bench", "--model", MODEL, "--size", "64", "--backend", "tensorrt");
        assertEquals(2, backend.code());
        assertTrue(backend.err().contains("'tensorrt'") && backend.err().contains("djl"), backend.err());

        Result size = run("bench", "--model", MODEL, "--size", "100");
        assertEquals(2, size.code());
        assertTrue(size.err().contains("--size") && size.err().contains("100"), size.err());

        Result sizes = run("bench", "unet", "--sizes", "100");
        assertEquals(2, sizes.code());
        assertTrue(sizes.err().contains("--sizes") && sizes.err().contains("100"), sizes.err());

        Result runs = run("bench", "ceiling", "--runs", "0");
        assertEquals(2, runs.code());
        assertTrue(runs.err().contains("--runs") && runs.err().contains("0"), runs.err());

        Result noUnet = run("bench", "unet", "--model", dir.toString(), "--no-ceiling");
        assertEquals(2, noUnet.code());
        assertTrue(noUnet.err().contains(dir.toString()), noUnet.err());

        Result tool = run("bench", "tool", "warp");
        assertEquals(2, tool.code());
        assertTrue(tool.err().contains("'warp'") && tool.err().contains("conv-split"), tool.err());

        Result toolArgument = run("bench", "tool", "conv-split", "rounds=many");
        assertEquals(2, toolArgument.code());
        assertTrue(toolArgument.err().contains("rounds=many"), toolArgument.err());

        Result builds = run("bench", "tool", "ab", dir.toString(), dir.toString());
        assertEquals(2, builds.code());
        assertTrue(builds.err().contains(dir + " is not a folder of compiled sdm-unet classes"), builds.err());

        Files.writeString(dir.resolve("keep.txt"), "x");
        Result taken = run("make-model", "--out", dir.toString(), "--tokenizer", MODEL + "/tokenizer");
        assertEquals(2, taken.code());
        assertTrue(taken.err().contains("not empty"), taken.err());

        Result tokenizer = run("make-model", "--out", dir.resolve("new").toString(), "--tokenizer", dir.toString());
        assertEquals(2, tokenizer.code());
        assertTrue(tokenizer.err().contains("vocab.json"), tokenizer.err());
        for (Result r : new Result[] {compare, size, sizes, runs, noUnet, tool, toolArgument, builds, taken,
            tokenizer}) {
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }
}
