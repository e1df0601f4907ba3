package dev.descent.optim;

import java.util.List;
import java.util.Map;

/**
 * KOALA-M's shared 2×2 covariance P (float64) and the weight-distance average {@code q_w} (spec §10): the
 * predict {@code P ← F P Fᵀ + diag(q_w, q_v)} with {@code F = [[1, 1], [0, a]]}, the update
 * {@code P ← P − P diag(hh, 0) Pᵀ}, and their {@code koala/} state scalars. The products are written out as the
 * general 2×2 products (with F's ones and zero), so that every rounding is that of the matrix form; the
 * arrays are kept, so that a step allocates nothing.
 */
final class KoalaCovariance {
    private final double[][] p = new double[2][2];
    private final double[][] f = {{1.0, 1.0}, {0.0, 0.0}};
    private final double[][] work = new double[2][2];
    private double qw;

    KoalaCovariance(double sw, double sc, double sv, double qw) {
        p[0][0] = sw;
        p[0][1] = sc;
        p[1][0] = sc;
        p[1][1] = sv;
        this.qw = qw;
    }

    double get(int i, int j) {
        return p[i][j];
    }

    /** {@code q_w ← 0.9 q_w + 0.1 distance}, then {@code P ← F P Fᵀ + diag(q_w, qv)}. */
    void predict(double a, double distance, double qv) {
        qw = 0.9 * qw + 0.1 * distance;
        f[1][1] = a;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                work[i][j] = f[i][0] * p[0][j] + f[i][1] * p[1][j];
            }
        }
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                p[i][j] = work[i][0] * f[j][0] + work[i][1] * f[j][1];
            }
        }
        p[0][0] += qw;
        p[1][1] += qv;
    }

    /** {@code P ← P − P diag(hh, 0) Pᵀ}. */
    void update(double hh) {
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                work[i][j] = p[i][j] - p[i][0] * hh * p[j][0];
            }
        }
        for (int i = 0; i < 2; i++) {
            System.arraycopy(work[i], 0, p[i], 0, 2);
        }
    }

    void save(Map<String, Object> out) {
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                out.put("koala/P" + i + j, p[i][j]);
            }
        }
        out.put("koala/qw", qw);
    }

    static void check(Map<String, ?> scalars, List<String> problems) {
        for (String key : List.of("koala/P00", "koala/P01", "koala/P10", "koala/P11", "koala/qw")) {
            if (!(scalars.get(key) instanceof Number)) {
                problems.add("no value for '" + key + "'");
            }
        }
    }

    void load(Map<String, ?> scalars) {
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                p[i][j] = ((Number) scalars.get("koala/P" + i + j)).doubleValue();
            }
        }
        qw = ((Number) scalars.get("koala/qw")).doubleValue();
    }
}
