package io.github.sdm.samplers;

/**
 * The inference timestep lists of diffusers' {@code set_timesteps}, which differ slightly between scheduler families.
 * All are returned in descending (sampling) order.
 */
final class InferenceTimesteps {

    private InferenceTimesteps() {
    }

    /** DDIM, DDPM: integer timesteps. */
    static int[] ddimFamily(TimestepSpacing spacing, int steps, int numTrain, int stepsOffset) {
        int[] out = new int[steps];
        switch (spacing) {
            case LINSPACE: {
                double[] grid = ScheduleMath.numpyLinspace(0, numTrain - 1, steps, true);
                for (int i = 0; i < steps; i++) {
                    out[i] = (int) ScheduleMath.round(grid[steps - 1 - i]);
                }
                break;
            }
            case LEADING: {
                int ratio = numTrain / steps;
                for (int i = 0; i < steps; i++) {
                    out[i] = (steps - 1 - i) * ratio + stepsOffset;
                }
                break;
            }
            case TRAILING: {
                double[] grid = ScheduleMath.numpyArange(numTrain, 0, -((double) numTrain / steps));
                out = new int[grid.length];
                for (int i = 0; i < grid.length; i++) {
                    out[i] = (int) ScheduleMath.round(grid[i]) - 1;
                }
                break;
            }
            default:
                throw new AssertionError(spacing);
        }
        return checkRange(out, numTrain, stepsOffset);
    }

    /**
     * DPM-Solver and UniPC: {@code steps + 1} points with the last dropped, so the schedule ends above 0;
     * {@code lastTimestep} is lowered by {@code lambda_min_clipped}.
     */
    static int[] dpmFamily(TimestepSpacing spacing, int steps, int lastTimestep, int numTrain, int stepsOffset) {
        int[] out;
        switch (spacing) {
            case LINSPACE: {
                double[] grid = ScheduleMath.numpyLinspace(0, lastTimestep - 1, steps + 1, true);
                out = new int[steps];
                for (int i = 0; i < steps; i++) {
                    out[i] = (int) ScheduleMath.round(grid[steps - i]);
                }
                break;
            }
            case LEADING: {
                int ratio = lastTimestep / (steps + 1);
                out = new int[steps];
                for (int i = 0; i < steps; i++) {
                    out[i] = (steps - i) * ratio + stepsOffset;
                }
                break;
            }
            case TRAILING: {
                double[] grid = ScheduleMath.numpyArange(lastTimestep, 0, -((double) numTrain / steps));
                out = new int[grid.length];
                for (int i = 0; i < grid.length; i++) {
                    out[i] = (int) ScheduleMath.round(grid[i]) - 1;
                }
                break;
            }
            default:
                throw new AssertionError(spacing);
        }
        return checkRange(out, numTrain, stepsOffset);
    }

    /** Euler, Euler ancestral, Heun, LMS: float32 timesteps (fractional for linspace). */
    static double[] eulerFamily(TimestepSpacing spacing, int steps, int numTrain, int stepsOffset) {
        double[] out = new double[steps];
        switch (spacing) {
            case LINSPACE: {
                double[] grid = ScheduleMath.numpyLinspace(0, numTrain - 1, steps, true);
                for (int i = 0; i < steps; i++) {
                    out[i] = (float) grid[steps - 1 - i];
                }
                break;
            }
            case LEADING: {
                int ratio = numTrain / steps;
                for (int i = 0; i < steps; i++) {
                    out[i] = (float) ((steps - 1 - i) * ratio) + (float) stepsOffset;
                }
                break;
            }
            case TRAILING: {
                double[] grid = ScheduleMath.numpyArange(numTrain, 0, -((double) numTrain / steps));
                out = new double[grid.length];
                for (int i = 0; i < grid.length; i++) {
                    out[i] = (float) ScheduleMath.round(grid[i]) - 1f;
                }
                break;
            }
            default:
                throw new AssertionError(spacing);
        }
        for (double t : out) {
            if (t < 0 || t > numTrain - 1) {
                throw new SamplerConfigException("steps_offset", stepsOffset,
                        "puts timestep " + t + " outside 0.." + (numTrain - 1));
            }
        }
        return out;
    }

    private static int[] checkRange(int[] timesteps, int numTrain, int stepsOffset) {
        for (int t : timesteps) {
            if (t < 0 || t > numTrain - 1) {
                throw new SamplerConfigException("steps_offset", stepsOffset,
                        "puts timestep " + t + " outside 0.." + (numTrain - 1));
            }
        }
        return timesteps;
    }

    static double[] toDouble(int[] timesteps) {
        double[] out = new double[timesteps.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = timesteps[i];
        }
        return out;
    }

    static int readStepsOffset(SamplerConfig config) {
        int offset = config.getInt("steps_offset", 0);
        if (offset < 0) {
            throw new SamplerConfigException("steps_offset", offset, "must not be negative");
        }
        return offset;
    }
}
