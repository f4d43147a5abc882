package io.github.sdm.samplers;

import java.util.function.DoubleUnaryOperator;

/**
 * Adaptive 7-point Gauss / 15-point Kronrod quadrature (the rule QUADPACK's {@code qags}, behind
 * {@code scipy.integrate.quad}, starts with): an interval is accepted when the Gauss and Kronrod estimates agree to
 * the tolerance, otherwise bisected. Polynomials up to degree 13 are integrated exactly in the first pass.
 */
final class AdaptiveGaussKronrod {

    private static final double[] NODES = {
        0.991455371120812639206854697526329,
        0.949107912342758524526189684047851,
        0.864864423359769072789712788640926,
        0.741531185599394439863864773280788,
        0.586087235467691130294144845693013,
        0.405845151377397166906606412076961,
        0.207784955007898467600689403773245,
        0.000000000000000000000000000000000,
    };
    private static final double[] KRONROD_WEIGHTS = {
        0.022935322010529224963732008058970,
        0.063092092629978553290700663189204,
        0.104790010322250183839876322541518,
        0.140653259715525918745189590510238,
        0.169004726639267902826583426598550,
        0.190350578064785409913256402421014,
        0.204432940075298892414161999234649,
        0.209482141084727828012999174891714,
    };
    /** Gauss weights of the odd-indexed nodes (1, 3, 5) and the centre. */
    private static final double[] GAUSS_WEIGHTS = {
        0.129484966168869693270611432679082,
        0.279705391489276667901467771423780,
        0.381830050505118944950369775488975,
        0.417959183673469387755102040816327,
    };
    private static final int MAX_DEPTH = 50;

    private AdaptiveGaussKronrod() {
    }

    /** The integral of {@code f} from {@code a} to {@code b} (either order) within {@code tolerance} (absolute). */
    static double integrate(DoubleUnaryOperator f, double a, double b, double tolerance) {
        return integrate(f, a, b, tolerance, 0);
    }

    private static double integrate(DoubleUnaryOperator f, double a, double b, double tolerance, int depth) {
        double centre = 0.5 * (a + b);
        double halfLength = 0.5 * (b - a);
        double fc = f.applyAsDouble(centre);
        double kronrod = fc * KRONROD_WEIGHTS[7];
        double gauss = fc * GAUSS_WEIGHTS[3];
        for (int j = 0; j < 7; j++) {
            double dx = halfLength * NODES[j];
            double pair = f.applyAsDouble(centre - dx) + f.applyAsDouble(centre + dx);
            kronrod += KRONROD_WEIGHTS[j] * pair;
            if (j % 2 == 1) {
                gauss += GAUSS_WEIGHTS[j / 2] * pair;
            }
        }
        kronrod *= halfLength;
        gauss *= halfLength;
        double error = Math.abs(kronrod - gauss);
        if (error <= tolerance || depth >= MAX_DEPTH || Double.isNaN(error)) {
            return kronrod;
        }
        return integrate(f, a, centre, tolerance / 2, depth + 1) + integrate(f, centre, b, tolerance / 2, depth + 1);
    }
}
