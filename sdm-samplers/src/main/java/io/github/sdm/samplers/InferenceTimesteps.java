package io.github.sdm.samplers;

/**
 * Where a sampler places its inference timesteps ({@code timestep_spacing}, {@code steps_offset}), and the lists
 * diffusers' {@code set_timesteps} makes from them, which differ slightly between scheduler families. All lists are
 * descending (sampling order).
 */
record InferenceTimesteps(TimestepSpacing spacing, int stepsOffset) {

    static InferenceTimesteps read(SamplerConfig config, TimestepSpacing defaultSpacing) {
        TimestepSpacing spacing = TimestepSpacing.read(config, defaultSpacing);
        int offset = config.getInt("steps_offset", 0);
        if (offset < 0) {
            throw new SamplerConfigException("steps_offset", offset, "must not be negative");
        }
        return new InferenceTimesteps(spacing, offset);
    }

    /** DDIM, DDPM, PNDM: {@code steps} integer timesteps. */
    int[] ddimFamily(int steps, int numTrain) {
        return evenlySpaced(steps, steps, numTrain, numTrain);
    }

    /**
     * DPM-Solver and UniPC: {@code steps + 1} points with the last dropped, so the schedule ends above 0;
     * {@code lastTimestep} is lowered by {@code lambda_min_clipped}.
     */
    int[] dpmFamily(int steps, int lastTimestep, int numTrain) {
        return evenlySpaced(steps + 1, steps, lastTimestep, numTrain);
    }

    /**
     * Euler, Euler ancestral, Heun, LMS: float32 timesteps, fractional for linspace; leading and trailing give the
     * DDIM family's integers (exact in float32, as {@code num_train_timesteps} stays far below 2^24).
     */
    double[] eulerFamily(int steps, int numTrain) {
        if (spacing != TimestepSpacing.LINSPACE) {
            return toDouble(ddimFamily(steps, numTrain));
        }
        double[] grid = ScheduleMath.numpyLinspace(0, numTrain - 1, steps, true);
        double[] out = new double[steps];
        for (int i = 0; i < steps; i++) {
            out[i] = (float) grid[steps - 1 - i];
        }
        return out;
    }

    /**
     * The first {@code kept} of {@code points} descending integer timesteps spread below {@code end} (trailing spacing
     * steps by {@code numTrain / kept} and keeps every point).
     */
    private int[] evenlySpaced(int points, int kept, int end, int numTrain) {
        int[] out;
        switch (spacing) {
            case LINSPACE -> {
                double[] grid = ScheduleMath.numpyLinspace(0, end - 1, points, true);
                out = new int[kept];
                for (int i = 0; i < kept; i++) {
                    out[i] = (int) ScheduleMath.round(grid[points - 1 - i]);
                }
            }
            case LEADING -> {
                int ratio = end / points;
                out = new int[kept];
                for (int i = 0; i < kept; i++) {
                    out[i] = (points - 1 - i) * ratio + stepsOffset;
                }
            }
            case TRAILING -> {
                double[] grid = ScheduleMath.numpyArange(end, 0, -((double) numTrain / kept));
                out = new int[grid.length];
                for (int i = 0; i < grid.length; i++) {
                    out[i] = (int) ScheduleMath.round(grid[i]) - 1;
                }
            }
            default -> throw new AssertionError(spacing);
        }
        for (int t : out) {
            if (t < 0 || t > numTrain - 1) {
                if (spacing == TimestepSpacing.LEADING && stepsOffset > 0) {
                    throw SamplerConfigException.ofRunParameter("num_inference_steps", kept, "steps must be at most "
                            + maxLeadingSteps(kept, points - kept, end, numTrain) + " for this model (num_train_timesteps "
                            + numTrain + ", steps_offset " + stepsOffset + "), got " + kept);
                }
                throw new SamplerConfigException("num_inference_steps", kept, "puts timestep " + t + " outside 0.."
                        + (numTrain - 1) + " (num_train_timesteps " + numTrain + ", timestep_spacing "
                        + spacing.configName() + ")");
            }
        }
        return out;
    }

    /**
     * The most steps below {@code tooMany} that leading spacing can place without the offset pushing the first
     * timestep past the schedule: with {@code steps + extraPoints} points spaced {@code end / points} apart, the
     * first lands on {@code (points - 1) * (end / points) + steps_offset}.
     */
    private int maxLeadingSteps(int tooMany, int extraPoints, int end, int numTrain) {
        int steps = tooMany - 1;
        while (steps > 1) {
            int points = steps + extraPoints;
            if ((long) (points - 1) * (end / points) + stepsOffset <= numTrain - 1) {
                break;
            }
            steps--;
        }
        return steps;
    }

    static double[] toDouble(int[] timesteps) {
        double[] out = new double[timesteps.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = timesteps[i];
        }
        return out;
    }
}
