package dev.descent.optim.eightbit;

import java.util.Arrays;

/**
 * The dynamic (tree) quantization map of bitsandbytes' {@code create_dynamic_map} (spec/optimizers.md §13.1):
 * 256 float32 values in ascending order, the signed map for the first moment and the unsigned map for the
 * second.
 *
 * <p>Construction, for each exponent index {@code i = 0 … E−1}: {@code n_i} fraction points
 * ({@code 2^{i+nsb−E} + 1} signed, {@code 2^{i+nsb−E+1} + 1} unsigned), {@code b = linspace(0.1, 1, n_i)},
 * the {@code n_i − 1} midpoints {@code (b_j + b_{j+1})/2} scaled by {@code 10^{−(E−1)+i}} (and, signed, their
 * negatives); then {@code 0} and {@code 1.0}, zero padding to {@code 2^total_bits} values, and an ascending
 * sort. The arithmetic is float32 as in the reference, which builds the map with torch's default dtype:
 * {@code linspace} as torch computes it in float32 ({@code step = (end − start)/(n − 1)}, the first half
 * {@code start + step·j}, the second half {@code end − step·(n − 1 − j)}), float32 midpoints, and the
 * scale rounded to float32 before the product.
 */
public final class DynamicMap {
    private static final float[] SIGNED = create(true, 7, 8);
    private static final float[] UNSIGNED = create(false, 7, 8);

    private DynamicMap() {
    }

    /** The signed 8-bit map ({@code qmap1}, first moment; §13.1): a fresh copy. */
    public static float[] signed() {
        return SIGNED.clone();
    }

    /** The unsigned 8-bit map ({@code qmap2}, second moment; §13.1): a fresh copy. */
    public static float[] unsigned() {
        return UNSIGNED.clone();
    }

    static float[] signedShared() {
        return SIGNED;
    }

    static float[] unsignedShared() {
        return UNSIGNED;
    }

    /**
     * {@code create_dynamic_map(signed, maxExponentBits, totalBits)} (§13.1), ascending, of length
     * {@code 2^totalBits}.
     *
     * @throws IllegalArgumentException when the bit counts leave no room for the values
     */
    public static float[] create(boolean signed, int maxExponentBits, int totalBits) {
        if (totalBits < 2 || totalBits > 16 || maxExponentBits < 1 || maxExponentBits > totalBits - 1) {
            throw new IllegalArgumentException("DynamicMap: invalid maxExponentBits " + maxExponentBits
                    + " / totalBits " + totalBits + " (expected 1 <= maxExponentBits <= totalBits - 1 <= 15)");
        }
        int size = 1 << totalBits;
        int nsb = totalBits - 1;
        int additional = (1 << (nsb - maxExponentBits)) - 1;
        float[] data = new float[size];
        int k = 0;
        for (int i = 0; i < maxExponentBits; i++) {
            int items = signed ? (1 << (i + nsb - maxExponentBits)) + 1 : (1 << (i + nsb - maxExponentBits + 1)) + 1;
            float scale = (float) Math.pow(10, -(maxExponentBits - 1) + i);
            float[] mids = midpoints(items);
            for (float m : mids) {
                data[k++] = scale * m;
            }
            if (signed) {
                for (float m : mids) {
                    data[k++] = -scale * m;
                }
            }
        }
        if (additional > 0) {
            // bitsandbytes: additional + 1 linspace points scaled as the last exponent (never for 8 bits)
            float scale = (float) Math.pow(10, 0);
            float[] mids = midpoints(additional + 1);
            for (float m : mids) {
                data[k++] = scale * m;
            }
            if (signed) {
                for (float m : mids) {
                    data[k++] = -scale * m;
                }
            }
        }
        if (k + 2 > size) {
            throw new IllegalArgumentException("DynamicMap: " + (k + 2) + " values do not fit in " + totalBits
                    + " bits");
        }
        data[k++] = 0f;
        data[k++] = 1f;
        // the rest stays 0 (padding)
        Arrays.sort(data);
        return data;
    }

    /** The float32 midpoints of torch's float32 {@code linspace(0.1, 1, n)}. */
    private static float[] midpoints(int n) {
        float start = 0.1f;
        float end = 1f;
        float step = (end - start) / (float) (n - 1);
        int halfway = n / 2;
        float[] b = new float[n];
        for (int j = 0; j < n; j++) {
            b[j] = j < halfway ? start + step * (float) j : end - step * (float) (n - 1 - j);
        }
        float[] mids = new float[n - 1];
        for (int j = 0; j < n - 1; j++) {
            mids[j] = (b[j] + b[j + 1]) / 2f;
        }
        return mids;
    }
}
