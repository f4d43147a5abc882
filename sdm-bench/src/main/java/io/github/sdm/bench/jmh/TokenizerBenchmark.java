package io.github.sdm.bench.jmh;

import io.github.sdm.core.tokenizer.ClipTokenizer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CLIP tokenization of a typical prompt and of a long one that gets truncated, with the word cache
 * warm (the steady state of a server) and without it (every word merged afresh, the first-time cost).
 *
 * <p>Run from the repository root after {@code mvn -o -pl sdm-bench -am package -DskipTests}:
 * {@code java -cp "$(cat sdm-bench/target/classpath.txt):sdm-bench/target/classes" org.openjdk.jmh.Main Tokenizer};
 * {@code -p tokenizerDir=/path/to/model/tokenizer} points it at another vocabulary.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenizerBenchmark {
    static final String TYPICAL = "a photo of an astronaut riding a horse on mars, highly detailed, 4k";
    static final String LONG = "masterpiece, best quality, ultra detailed, a beautiful landscape painting of a mountain"
            + " lake at sunrise, volumetric lighting, highly intricate, sharp focus, trending on artstation, by greg"
            + " rutkowski and alphonse mucha, 8k uhd, dslr, soft lighting, film grain, fujifilm xt3, cinematic"
            + " composition, golden hour, reflections in the water, octane render, unreal engine 5, hyperrealistic,"
            + " award winning photograph, national geographic, depth of field, bokeh, wide angle lens";

    @Param("sdm-core/src/test/resources/fixtures/clip-tokenizer")
    public String tokenizerDir;

    private ClipTokenizer cached;
    private ClipTokenizer uncached;

    @Setup
    public void load() {
        cached = ClipTokenizer.load(Path.of(tokenizerDir));
        uncached = cached.withoutWordCache();
    }

    @Benchmark
    public long[] typicalPrompt() {
        return cached.inputIds(TYPICAL);
    }

    @Benchmark
    public long[] longPrompt() {
        return cached.inputIds(LONG);
    }

    @Benchmark
    public long[] typicalPromptUncached() {
        return uncached.inputIds(TYPICAL);
    }

    @Benchmark
    public long[] longPromptUncached() {
        return uncached.inputIds(LONG);
    }
}
