package io.github.sdm.assembly.switching;

import io.github.sdm.unet.config.UNetConfig;
import java.nio.file.Path;

/**
 * A loaded UNet that a {@link UNetSwitch} hands some calls to; the engine module that loaded it executes it
 * ({@code io.github.sdm.assembly.djl.switching.LoadedUNet}). Shared by every generation that names it; the
 * application closes it after them.
 */
public interface SecondUNet extends AutoCloseable {

    /** The folder it was loaded from. */
    Path folder();

    /** Its config. */
    UNetConfig config();

    @Override
    void close();
}
