package io.github.sdm.unet.djl;

import ai.djl.util.ClassLoaderUtils;
import ai.djl.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What sdm settles before DJL's PyTorch engine starts, once per JVM, so that a library user gets the same
 * quiet, offline start as the {@code sdm} launcher:
 * <ul>
 *   <li>no network: {@value #OFFLINE} = true (no downloads) and {@value #OPT_OUT_TRACKING} = true (no
 *       telemetry; DJL's call home also asks the cloud metadata address 169.254.169.254 for an instance
 *       id), each set as a system property only when the user has chosen neither way, by the system
 *       property or by DJL's environment variable ({@code DJL_OFFLINE}, {@code OPT_OUT_TRACKING});</li>
 *   <li>no scary CUDA warning on a CPU load: DJL probes for CUDA while picking its natives whatever the
 *       device, and logs "Failed to detect GPU count" when a CUDA runtime without a driver is installed.
 *       Unless a GPU is asked for, that probe runs silently (DJL's own switch for it, the private
 *       {@code CudaUtils.logging} flag; if a later DJL drops it, the warning simply shows again);</li>
 *   <li>one line before the first start unpacks the PyTorch natives (about 430 MB for the Linux CPU set,
 *       a minute or more) into DJL's cache, saying where.</li>
 * </ul>
 * A later load changes nothing: the engine has started by then.
 */
public final class DjlEngineSetup {
    /** DJL's switch against downloads, read when the engine looks for natives and models. */
    public static final String OFFLINE = "ai.djl.offline";
    /** DJL's switch against telemetry (a system property or an environment variable). */
    public static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";

    private static final Logger LOG = LoggerFactory.getLogger(DjlEngineSetup.class);
    private static final String CUDA_UTILS = "ai.djl.util.cuda.CudaUtils";
    private static final String NATIVES_PROPERTIES = "native/lib/pytorch.properties";

    private static boolean done;

    private DjlEngineSetup() {
    }

    /**
     * Settles the engine's settings before its first start; call it before any DJL engine use. Only the first
     * call in a JVM acts.
     *
     * @param gpuRequested whether the load asks for a GPU: then DJL's CUDA probe keeps its warnings, which
     *     say why no GPU was found
     */
    public static synchronized void beforeEngineStart(boolean gpuRequested) {
        if (done) {
            return;
        }
        done = true;
        keepOffline();
        if (!gpuRequested) {
            silenceCudaProbe();
        }
        announceNativesUnpacking();
    }

    /** Sets DJL's offline and no-tracking switches unless the user set them (either way). */
    static void keepOffline() {
        if (System.getProperty(OFFLINE) == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty(OFFLINE, "true");
        }
        if (System.getProperty(OPT_OUT_TRACKING) == null && System.getenv(OPT_OUT_TRACKING) == null) {
            System.setProperty(OPT_OUT_TRACKING, "true");
        }
    }

    private static void silenceCudaProbe() {
        try {
            Field logging = Class.forName(CUDA_UTILS).getDeclaredField("logging");
            if (Modifier.isStatic(logging.getModifiers()) && logging.getType() == boolean.class) {
                logging.setAccessible(true);
                logging.setBoolean(null, false);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("DJL's CUDA probe could not be silenced; its warnings may show", e);
        }
    }

    /** One line when the natives on the class path are not yet in DJL's cache folder. */
    private static void announceNativesUnpacking() {
        Properties natives = nativesOnClassPath();
        Path folder = natives == null ? null : nativesFolder(natives);
        if (folder != null && !allPresent(folder, natives.getProperty("libraries", ""))) {
            LOG.info("First start of PyTorch {} ({}): unpacking its native libraries (about 430 MB for the Linux "
                    + "CPU set) to {}; this takes a minute once (set DJL_CACHE_DIR to put them elsewhere)",
                    natives.getProperty("version"), natives.getProperty("classifier"), folder);
        }
    }

    /** The description of the PyTorch natives jar on the class path, or null when there is none. */
    static Properties nativesOnClassPath() {
        // the class loader DJL itself looks the natives up with
        Properties natives = new Properties();
        try (InputStream in = ClassLoaderUtils.getResourceAsStream(NATIVES_PROPERTIES)) {
            natives.load(in);
            return natives;
        } catch (IOException e) {
            return null; // natives from PYTORCH_LIBRARY_PATH, say; or DJL reports the problem next
        }
    }

    /** DJL's folder for these natives: {@code <engine cache>/pytorch/<version>-<flavor>-<classifier>}. */
    static Path nativesFolder(Properties natives) {
        String version = natives.getProperty("version");
        String flavor = natives.getProperty("flavor");
        String classifier = natives.getProperty("classifier");
        if (version == null || flavor == null || classifier == null) {
            return null;
        }
        return Utils.getEngineCacheDir("pytorch").resolve(version + "-" + flavor + "-" + classifier);
    }

    private static boolean allPresent(Path folder, String libraries) {
        for (String library : libraries.split(",")) {
            if (!library.isBlank() && !Files.isRegularFile(folder.resolve(library.strip()))) {
                return false;
            }
        }
        return Files.isDirectory(folder);
    }
}
