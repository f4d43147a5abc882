package io.github.sdm.bench.cli;

import static io.github.sdm.bench.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.bench.cli.CliRunner.Result;
import io.github.sdm.core.testkit.TestData;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sdm bench backends}: the tiny model on DJL (its diffusers folder) against its optimum export on ONNX Runtime,
 * the same weights, so every stage's output must agree within the parity suites' network tolerance.
 */
class BackendsBenchCommandTest {
    private static final String DJL = "djl=" + TestData.tinySd();
    private static final String ONNX = "onnx=" + OnnxBenchCommandTest.EXPORT;
    /** The network tolerance of the ONNX parity suites (final latents 1e-3). */
    private static final double TOLERANCE = 1e-3;
    private static final Pattern ROW = Pattern.compile(
            "^\\| (text encoder|UNet call, \\d+x\\d+|VAE decode, \\d+x\\d+|VAE encode, \\d+x\\d+) .*\\| +([0-9.]+)x \\| +"
                    + "([0-9.e+-]+) of ([0-9.e+-]+) \\|$", Pattern.MULTILINE);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--seed=0", "--one-at-a-time"})
    void timesEveryStageOnBothBackendsAndTheirOutputsAgree(String mode) {
        Result r = run("bench", "backends", "--on", DJL, "--on", ONNX, "--unet-sizes", "64,128", "--vae-size", "64",
                "--warmup", "1", "--runs", "2", mode);
        assertEquals(0, r.code(), r.err());
        List<String> expectedStages = List.of("text encoder", "UNet call, 64x64", "UNet call, 128x128",
                "VAE decode, 64x64", "VAE encode, 64x64");
        Matcher m = ROW.matcher(r.out());
        int rows = 0;
        while (m.find()) {
            assertEquals(expectedStages.get(rows), m.group(1), r.out());
            assertTrue(Double.parseDouble(m.group(2)) > 0, m.group());
            double difference = Double.parseDouble(m.group(3));
            assertTrue(difference <= TOLERANCE, m.group(1) + ": djl and onnx differ by " + difference + "\n" + r.out());
            assertTrue(Double.parseDouble(m.group(4)) > 0, m.group());
            rows++;
        }
        assertEquals(expectedStages.size(), rows, r.out());
        String header = r.out().lines().filter(l -> l.startsWith("| stage ")).findFirst().orElseThrow();
        assertEquals(List.of("stage", "input", "djl median", "djl min - max", "onnx median", "onnx min - max",
                "djl / onnx", "onnx difference"), List.of(header.substring(2, header.length() - 2).split(" *\\| *")).stream()
                .map(String::trim).toList(), header);
        // per stage, per backend: one warm-up and two measured calls, in turn
        assertEquals(expectedStages.size() * 2 * 3, r.err().lines().filter(l -> l.matches(".*, (djl|onnx) "
                + "(warm-up|call \\d): \\d+ ms")).count(), r.err());
    }

    @Test
    void stagesCanBeLeftOut() {
        Result r = run("bench", "backends", "--on", DJL, "--on", ONNX, "--unet-sizes", "0", "--vae-size", "64",
                "--no-vae-encode", "--warmup", "0", "--runs", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| text encoder ") && r.out().contains("| VAE decode, 64x64 "), r.out());
        assertTrue(!r.out().contains("| UNet call") && !r.out().contains("| VAE encode"), r.out());
    }

    /**
     * The built graphs with float16-held weights against float32 ones, in one run: labelled as given, every output
     * within the float16-weight parity bound (2e-3 of {@code max(1, peak)}).
     */
    @Test
    void aWeightPrecisionPerTarget() {
        Result r = run("bench", "backends", "--on", "onnx=" + TestData.tinySd(), "--on", "onnx:fp16=" + TestData.tinySd(),
                "--unet-sizes", "64", "--vae-size", "64", "--warmup", "0", "--runs", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| onnx / onnx:fp16 |"), r.out());
        Matcher m = ROW.matcher(r.out());
        int rows = 0;
        while (m.find()) {
            double bound = 2e-3 * Math.max(1, Double.parseDouble(m.group(4)));
            assertTrue(Double.parseDouble(m.group(3)) <= bound, m.group() + "\n" + r.out());
            rows++;
        }
        assertEquals(4, rows, r.out());
        Result bad = run("bench", "backends", "--on", "onnx:fp8=" + TestData.tinySd());
        assertEquals(2, bad.code(), bad.out());
        assertTrue(bad.err().contains("'fp8' is not a weight precision"), bad.err());
    }

    @Test
    void aTargetWithoutABackendIsRefusedNamingIt() {
        Result r = run("bench", "backends", "--on", TestData.tinySd().toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("expected BACKEND[:WEIGHTS]=FOLDER"), r.err());
    }
}
