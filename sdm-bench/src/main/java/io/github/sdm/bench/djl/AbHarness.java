package io.github.sdm.bench.djl;

import io.github.sdm.bench.perf.CpuTimes;
import io.github.sdm.bench.perf.Samples;
import io.github.sdm.bench.perf.ToolOptions;
import io.github.sdm.bench.report.MachineInfo;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Times two builds of sdm-unet against each other in ONE JVM, call by call (A B A B ...), so that the load
 * of a shared machine hits both alike. Each build is a folder of compiled {@code io.github.sdm.unet}
 * classes (e.g. two checkouts' {@code sdm-unet/target/classes}), each loaded child-first together with its own
 * {@link NetworkRunner} over the parent class path, which holds DJL and sdm-core.
 *
 * <pre>
 * scripts/sdm bench tool ab \
 *     A_CLASSES B_CLASSES network=unet latent=32 batch=2 warmup=1 pairs=6 [threads=0 sliceA=0 sliceB=0]
 * </pre>
 * Reports each call's wall and process CPU seconds (CPU time is the steadier measure while other jobs
 * load the machine; run with {@code OMP_WAIT_POLICY=PASSIVE}, as {@code scripts/sdm} does, so idle engine threads
 * do not spin), the medians, the median of the per-pair ratios B/A and the largest difference between the two
 * outputs.
 */
public final class AbHarness {
    private AbHarness() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("expected A_CLASSES B_CLASSES [key=value...], got " + args.length
                    + " arguments");
        }
        Path a = Path.of(args[0]);
        Path b = Path.of(args[1]);
        for (Path classes : List.of(a, b)) {
            if (!Files.isDirectory(classes.resolve("io/github/sdm/unet"))) {
                throw new IllegalArgumentException(classes + " is not a folder of compiled sdm-unet classes"
                        + " (no io/github/sdm/unet in it)");
            }
        }
        ToolOptions o = ToolOptions.parse(Arrays.copyOfRange(args, 2, args.length));
        String network = o.text("network", "unet");
        int latent = o.integer("latent", 32);
        int batch = o.integer("batch", 2);
        int warmup = o.integer("warmup", 1);
        int pairs = o.integer("pairs", 6);
        Path ownClasses = Path.of(NetworkRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        System.out.println("machine at start: " + MachineInfo.current().describe());
        System.out.println(EngineThreads.set(o.integer("threads", 0)));
        System.out.printf("A=%s B=%s network=%s latent=%d batch=%d%n", a, b, network, latent, batch);
        try (Variant va = new Variant("A", a, ownClasses, network, latent, batch, o.integer("sliceA", 0));
                Variant vb = new Variant("B", b, ownClasses, network, latent, batch, o.integer("sliceB", 0))) {
            float[] outA = null;
            float[] outB = null;
            for (int i = 0; i < warmup; i++) {
                outA = va.timed().output;
                outB = vb.timed().output;
            }
            double[] ta = new double[pairs];
            double[] tb = new double[pairs];
            double[] ratio = new double[pairs];
            double[] cpuA = new double[pairs];
            double[] cpuB = new double[pairs];
            double[] cpuRatio = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                // alternate which goes first, so neither always follows the other's garbage
                Call ca;
                Call cb;
                if (i % 2 == 0) {
                    ca = va.timed();
                    cb = vb.timed();
                } else {
                    cb = vb.timed();
                    ca = va.timed();
                }
                ta[i] = ca.seconds;
                tb[i] = cb.seconds;
                ratio[i] = cb.seconds / ca.seconds;
                cpuA[i] = ca.cpuSeconds;
                cpuB[i] = cb.cpuSeconds;
                cpuRatio[i] = cb.cpuSeconds / ca.cpuSeconds;
                outA = ca.output;
                outB = cb.output;
                System.out.printf("pair %d: A %.3f s (cpu %.3f)  B %.3f s (cpu %.3f)  B/A %.3f (cpu %.3f)%n", i,
                        ta[i], cpuA[i], tb[i], cpuB[i], ratio[i], cpuRatio[i]);
            }
            System.out.printf("wall: median A %.3f s, median B %.3f s, median B/A %.3f (min %.3f, max %.3f)%n",
                    Samples.median(ta), Samples.median(tb), Samples.median(ratio), Samples.min(ratio),
                    Samples.max(ratio));
            System.out.printf("cpu:  median A %.3f s, median B %.3f s, median B/A %.3f (min %.3f, max %.3f)%n",
                    Samples.median(cpuA), Samples.median(cpuB), Samples.median(cpuRatio), Samples.min(cpuRatio),
                    Samples.max(cpuRatio));
            System.out.println(Samples.difference(outA, outB));
        }
        System.out.println("load average at end: " + MachineInfo.current().loadAverage());
    }

    /** Wall seconds and process CPU seconds (all threads, user and system) of one call. */
    private record Call(double seconds, double cpuSeconds, float[] output) {
    }

    /** One build of sdm-unet with its own runner. */
    private static final class Variant implements AutoCloseable {
        private final ChildFirstLoader loader;
        private final Supplier<float[]> runner;

        @SuppressWarnings("unchecked")
        Variant(String label, Path classes, Path ownClasses, String network, int latent, int batch, int slice)
                throws Exception {
            loader = new ChildFirstLoader(label, new URL[] {classes.toUri().toURL(), ownClasses.toUri().toURL()},
                    AbHarness.class.getClassLoader());
            Class<?> type = loader.loadClass(NetworkRunner.class.getName());
            long start = System.nanoTime();
            runner = (Supplier<float[]>) type.getConstructor(String.class, int.class, int.class, int.class)
                    .newInstance(network, latent, batch, slice);
            System.out.printf("%s built in %.1f s%n", label, (System.nanoTime() - start) / 1e9);
        }

        Call timed() {
            long cpu = CpuTimes.processNanos();
            long start = System.nanoTime();
            float[] out = runner.get();
            return new Call((System.nanoTime() - start) / 1e9, (CpuTimes.processNanos() - cpu) / 1e9, out);
        }

        @Override
        public void close() throws Exception {
            ((AutoCloseable) runner).close();
            loader.close();
        }
    }

    /** Loads sdm-unet's classes and the runner from the variant's folders first, everything else from the parent. */
    private static final class ChildFirstLoader extends URLClassLoader {
        ChildFirstLoader(String name, URL[] urls, ClassLoader parent) {
            super(name, urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.github.sdm.unet.") && !name.equals(NetworkRunner.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
