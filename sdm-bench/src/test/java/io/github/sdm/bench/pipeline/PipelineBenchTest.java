package io.github.sdm.bench.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.bench.report.PipelineReport;
import io.github.sdm.core.StageTimings;
import io.github.sdm.core.error.InvalidRequestException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's bookkeeping with a fake pipeline whose stage times are known. */
class PipelineBenchTest {
    private static final BenchSettings SETTINGS = new BenchSettings("a cat", 512, 512, 1, 1, 3);

    /**
     * Text encoding 10 ms, UNet 100 ms per call at guidance (50 ms without), one call per step plus one
     * for PNDM, sampler 1 ms per call, decode 200 ms, 5 ms unaccounted; the n-th generation of a scenario
     * adds n ms to the decode so medians and ranges are visible.
     */
    private static final class FakePipeline implements GenerationRunner {
        final List<String> order = new ArrayList<>();

        @Override
        public StageTimings generate(BenchScenario s, BenchSettings settings) {
            long nth = Collections.frequency(order, s.label());
            order.add(s.label());
            int calls = s.steps() + (s.sampler().equals("pndm") ? 1 : 0);
            Duration call = Duration.ofMillis(s.guidance() > 1 ? 100 : 50);
            Duration text = Duration.ofMillis(10);
            Duration sampler = Duration.ofMillis(calls);
            Duration decode = Duration.ofMillis(200 + nth);
            Duration unet = call.multipliedBy(calls);
            Duration total = text.plus(unet).plus(sampler).plus(decode).plus(Duration.ofMillis(5));
            return new StageTimings(text, Duration.ZERO, Collections.nCopies(calls, call), sampler, decode, total);
        }
    }

    @Test
    void warmUpsComeFirstThenOneGenerationOfEachScenarioPerRound() {
        FakePipeline fake = new FakePipeline();
        List<BenchScenario> scenarios = List.of(new BenchScenario("A", "dpmpp_2m", 2, 7.5),
                new BenchScenario("B", "ddim", 3, 7.5));
        List<String> progress = new ArrayList<>();
        List<StageSummary> result = PipelineBench.run(fake, scenarios, SETTINGS, progress::add);
        assertEquals(List.of("A", "B", "A", "B", "A", "B", "A", "B"), fake.order);
        assertEquals(2, result.size());
        assertEquals(3, result.get(0).runs().size(), "warm-up generations are not measured");
        assertEquals(8, progress.size());
        // decode of the measured runs: 201, 202, 203 ms
        assertEquals(Duration.ofMillis(202), result.get(0).imageDecoding().median());
        assertEquals(Duration.ofMillis(201), result.get(0).imageDecoding().min());
    }

    @Test
    void theFirstGenerationIsKeptApartAndEveryGenerationGetsItsOwnPeak() {
        long[] rss = {1000};
        PeakMemory memory = new PeakMemory() {
            @Override
            public void reset() {
                rss[0] += 10;
            }

            @Override
            public long peakBytes() {
                return rss[0];
            }
        };
        StageSummary s = PipelineBench.run(new FakePipeline(), List.of(new BenchScenario("A", "ddim", 2, 7.5)),
                SETTINGS, line -> { }, memory).get(0);
        // the warm-up decodes in 200 ms, the measured ones in 201, 202, 203 ms
        assertEquals(Duration.ofMillis(200), s.first().imageDecoding());
        assertEquals(1010, s.firstPeakResidentBytes());
        assertEquals(List.of(1020L, 1030L, 1040L), s.peakResidentBytes());
        assertTrue(PipelineReport.stageTable(s).render().lines()
                .anyMatch(l -> l.startsWith("| VAE decode ") && l.contains(" 200.0 ms |") && l.contains(" 202.0 ms |")));

        StageSummary noWarmUp = PipelineBench.run(new FakePipeline(), List.of(new BenchScenario("A", "ddim", 2, 7.5)),
                new BenchSettings("a cat", 512, 512, 1, 0, 2), line -> { }).get(0);
        assertEquals(Duration.ofMillis(200), noWarmUp.first().imageDecoding(), "without warm-up: the first measured");
        assertEquals("", PipelineReport.peakResidentLine(noWarmUp), "no peaks measured");
    }

    @Test
    void stagesAreSummarisedPerGenerationAndPerUNetCall() {
        StageSummary s = PipelineBench.run(new FakePipeline(), List.of(new BenchScenario("P", "pndm", 4, 7.5)),
                SETTINGS, line -> { }).get(0);
        assertEquals(5, s.unetCallsPerGeneration());
        assertEquals(15, s.unetCall().count());
        assertEquals(Duration.ofMillis(100), s.unetCall().median());
        assertEquals(Duration.ofMillis(500), s.unetTotal().median());
        assertEquals(Duration.ofMillis(1), s.samplerStep().median());
        assertEquals(Duration.ofMillis(5), s.unaccounted().median());
        assertEquals(Duration.ofMillis(10 + 500 + 5 + 202 + 5), s.total().median());
    }

    @Test
    void theSamplerComparisonReportsRatiosToPndm50() {
        Comparison samplers = Comparisons.named("samplers");
        List<BenchScenario> scenarios = samplers.scenarios(new BenchScenario("requested", "dpmpp_2m", 20, 7.5));
        assertEquals(List.of("PNDM 50", "DPM-Solver++ 20", "DPM-Solver++ 10", "LCM 4"),
                scenarios.stream().map(BenchScenario::label).toList());
        List<StageSummary> summaries = PipelineBench.run(new FakePipeline(), scenarios,
                new BenchSettings("a cat", 512, 512, 1, 0, 1), line -> { });
        // end to end: PNDM 10+5100+51+200+5 = 5366; DPM 20: 10+2000+20+200+5 = 2235; DPM 10: 10+1000+10+200+5 = 1225; LCM 4: 10+200+4+200+5 = 419
        assertEquals("""
                | scenario        | sampler  | steps | guidance | UNet calls | UNet per call | end to end (median) | min - max           | time / baseline | speed-up |
                | --------------- | -------- | ----: | -------: | ---------: | ------------: | ------------------: | ------------------- | --------------: | -------: |
                | PNDM 50         | pndm     |    50 |      7.5 |         51 |      100.0 ms |              5.37 s | 5.37 s - 5.37 s     |           1.00x |    1.00x |
                | DPM-Solver++ 20 | dpmpp_2m |    20 |      7.5 |         20 |      100.0 ms |              2.24 s | 2.24 s - 2.24 s     |           0.42x |    2.40x |
                | DPM-Solver++ 10 | dpmpp_2m |    10 |      7.5 |         10 |      100.0 ms |              1.23 s | 1.23 s - 1.23 s     |           0.23x |    4.38x |
                | LCM 4           | lcm      |     4 |      1.0 |          4 |       50.0 ms |            419.0 ms | 419.0 ms - 419.0 ms |           0.08x |   12.81x |
                """,
                PipelineReport.comparisonTable(summaries).render());
    }

    @Test
    void theStageTableListsEveryStageWithItsShare() {
        StageSummary s = PipelineBench.run(new FakePipeline(), List.of(new BenchScenario("D", "dpmpp_2m", 20, 7.5)),
                SETTINGS, line -> { }).get(0);
        String table = PipelineReport.stageTable(s).render();
        assertTrue(table.contains("| UNet, per call (20 calls)"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("| end to end") && l.contains("100.0%")), table);
        assertTrue(table.lines().noneMatch(l -> l.startsWith("| image encoding")), "txt2img has no image encoding");
    }

    @Test
    void anUnknownComparisonNamesTheKnownOnes() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Comparisons.named("nope"));
        assertEquals("--compare: unknown comparison 'nope' (known: samplers, inheritance, deepcache)", e.getMessage());
    }
}
