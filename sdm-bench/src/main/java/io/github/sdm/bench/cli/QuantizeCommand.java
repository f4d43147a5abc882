package io.github.sdm.bench.cli;

import io.github.sdm.bench.report.Format;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.unet.djl.Int8Quantizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sdm quantize}: the int8 weight files of a model folder's networks, for {@code --weights int8}. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Quantize a diffusers model folder's networks once: write each component folder's int8 "
                + "weight file (unet/diffusion_pytorch_model.int8.safetensors, ...: int8 values with one float32 "
                + "scale per output channel of each convolution and linear weight). Loads with --weights int8 then "
                + "map it instead of quantizing at each load (the same values, bit for bit), and --weight-paging "
                + "pages it. Quantize again after changing the float weights.")
final class QuantizeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FOLDER",
            description = "The diffusers model folder (text_encoder/, unet/, vae/ with float safetensors weights).")
    Path model;

    @Option(names = "--vae", paramLabel = "FOLDER", description = "Quantize the VAE of this folder instead of the "
            + "model's vae/ (e.g. a TAESD given to generate as --vae); its file goes into that folder.")
    Path vae;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        ModelLocation location = vae == null ? ModelLocation.folder(model)
                : ModelLocation.folder(model).withComponent("vae", vae);
        long start = System.nanoTime();
        List<Int8Quantizer.Written> written = Int8Quantizer.quantize(location, line -> {
            err.println(line);
            err.flush();
        });
        for (Int8Quantizer.Written file : written) {
            out.printf("%s: %s (%s, from %s)%n", file.component(), file.file(), Format.bytes(file.bytes()),
                    file.source().getFileName());
        }
        out.printf("quantized %d networks in %s%n", written.size(),
                Format.duration(Duration.ofNanos(System.nanoTime() - start)));
        out.flush();
        return 0;
    }
}
