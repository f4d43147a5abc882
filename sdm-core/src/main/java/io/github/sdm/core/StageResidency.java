package io.github.sdm.core;

import io.github.sdm.core.model.Residency;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.NetworkRole;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which of a model's networks hold their weights, under its {@link Residency}. Resident models keep everything
 * loaded and this does nothing. Per stage, a generation {@linkplain #claim claims} the networks it will need,
 * then {@linkplain Claims#use uses} each for one stage: the network is loaded for the first use, and released
 * when its last running use ends and no other running generation still needs it. So overlapping generations
 * share one load instead of reloading in turn, and no network is ever freed under a running use.
 *
 * <p>One lock guards the counts and the backend's load and release, so a load and a release of a network never
 * overlap; loads of different networks wait for each other, which costs little next to the stages themselves.
 */
final class StageResidency {
    private final DiffusionNetworks networks;
    private final boolean perStage;
    /** Uses running now, per network. */
    private final Map<NetworkRole, Integer> uses = new EnumMap<>(NetworkRole.class);
    private final Set<NetworkRole> loaded = EnumSet.allOf(NetworkRole.class);
    private final Set<Claims> running = new HashSet<>();

    /**
     * @param networks the model's networks, all loaded (as a backend's {@code load} returns them); per stage, they
     *     are released here until a stage needs them
     */
    StageResidency(Residency policy, DiffusionNetworks networks) {
        this.networks = networks;
        this.perStage = policy == Residency.PER_STAGE;
        if (perStage) {
            for (NetworkRole role : NetworkRole.values()) {
                networks.release(role);
            }
            loaded.clear();
        }
    }

    /**
     * Registers a generation's needs: the text encoder, the UNet and the VAE once each, the VAE twice for
     * img2img (encoding, then decoding). Close the claims when the generation ends, however it ends.
     */
    synchronized Claims claim(Mode mode) {
        Map<NetworkRole, Integer> needs = new EnumMap<>(NetworkRole.class);
        needs.put(NetworkRole.TEXT_ENCODER, 1);
        needs.put(NetworkRole.UNET, 1);
        needs.put(NetworkRole.VAE, mode == Mode.IMG2IMG ? 2 : 1);
        Claims claims = new Claims(needs);
        if (perStage) {
            running.add(claims);
        }
        return claims;
    }

    /** Whether the network's weights are loaded now (for tests). */
    synchronized boolean isLoaded(NetworkRole role) {
        return loaded.contains(role);
    }

    private synchronized void begin(NetworkRole role) {
        if (!perStage) {
            return;
        }
        if (!loaded.contains(role)) {
            networks.load(role);
            loaded.add(role);
        }
        uses.merge(role, 1, Integer::sum);
    }

    private synchronized void end(Claims claims, NetworkRole role) {
        if (!perStage) {
            return;
        }
        uses.merge(role, -1, Integer::sum);
        claims.needs.merge(role, -1, Integer::sum);
        releaseIfUnneeded(role, claims);
    }

    private synchronized void finish(Claims claims) {
        if (running.remove(claims)) {
            for (NetworkRole role : NetworkRole.values()) {
                releaseIfUnneeded(role, null);
            }
        }
    }

    /**
     * Releases {@code role} when no use of it runs and no running generation other than {@code ending} still
     * needs it: the ending generation's own later need (img2img's decode after its encode) does not keep the
     * network loaded through the stages in between.
     */
    private void releaseIfUnneeded(NetworkRole role, Claims ending) {
        if (!loaded.contains(role) || uses.getOrDefault(role, 0) > 0) {
            return;
        }
        for (Claims other : running) {
            if (other != ending && other.needs.getOrDefault(role, 0) > 0) {
                return;
            }
        }
        loaded.remove(role);
        networks.release(role);
    }

    /** One generation's claim on the networks. */
    final class Claims implements AutoCloseable {
        /** Uses still to come, per network. */
        private final Map<NetworkRole, Integer> needs;

        private Claims(Map<NetworkRole, Integer> needs) {
            this.needs = needs;
        }

        /** Loads {@code role} if it is released and holds it loaded until the returned use is closed. */
        Use use(NetworkRole role) {
            begin(role);
            return new Use(this, role);
        }

        /** The generation has ended: what it no longer needs, and no one else does, is released. */
        @Override
        public void close() {
            finish(this);
        }
    }

    /** One stage's hold on a network; closing it ends the hold (once). */
    final class Use implements AutoCloseable {
        private final Claims claims;
        private final NetworkRole role;
        private boolean closed;

        private Use(Claims claims, NetworkRole role) {
            this.claims = claims;
            this.role = role;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                end(claims, role);
            }
        }
    }
}
