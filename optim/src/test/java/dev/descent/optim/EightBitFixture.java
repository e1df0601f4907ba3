package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Reads {@code fixtures/eightbit/*.txt} (written by {@code gen_eightbit_fixtures.py}, a float32 reference of
 * spec/optimizers.md §13) and regenerates its inputs: the script's 64-bit LCG, reproduced bit for bit.
 */
final class EightBitFixture {
    private EightBitFixture() {
    }

    /** Each line {@code <words…> <values…>} keyed by its leading non-numeric words joined by spaces. */
    static Map<String, String[]> load(String file) {
        String path = "/fixtures/eightbit/" + file;
        Map<String, String[]> out = new LinkedHashMap<>();
        try (InputStream in = EightBitFixture.class.getResourceAsStream(path)) {
            assertNotNull(in, "missing fixture " + path);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] w = line.split(" ");
                int keyWords = w[0].equals("param") || w[0].startsWith("state") || w[0].startsWith("absmax") ? 3
                        : w[0].equals("x") || w[0].equals("signed") || w[0].equals("unsigned") ? 1 : 2;
                String key = String.join(" ", Arrays.copyOf(w, keyWords));
                out.put(key, Arrays.copyOfRange(w, keyWords, w.length));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static float[] floats(String[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Double.parseDouble(values[i]);
        }
        return out;
    }

    static int[] ints(String[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Integer.parseInt(values[i]);
        }
        return out;
    }

    /** The script's {@code lcg}: exponent of 2 per element from {@code exp}. */
    static float[] lcg(long seed, int n, IntUnaryOperator exp) {
        long x = seed;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            out[i] = (float) (((x >>> 40) / 16777216.0 - 0.5) * Math.pow(2, -exp.applyAsInt(i)));
        }
        return out;
    }

    /** Initial values of parameter {@code k}. */
    static float[] init(int k, int n) {
        return lcg(1000003L * (k + 1), n, i -> 0);
    }

    /** The gradient of parameter {@code k} at step {@code t}, with the script's NaN/Inf injection. */
    static float[] grad(int k, int t, int n, boolean inject) {
        float[] g = lcg(1000003L * (k + 1) + 7919L * t, n, i -> (i / 256) % 5);
        if (inject && k == 0 && (t == 2 || t == 4)) {
            g[5] = Float.NaN;
            if (t == 2) {
                g[300] = Float.POSITIVE_INFINITY;
                g[301] = Float.NEGATIVE_INFINITY;
            }
        }
        return g;
    }
}
