package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One reference run read from {@code fixtures/wrappers/<case>.txt} (written by {@code gen_wrapper_fixtures.py}
 * next to it, whose docstring describes the format): Lookahead, iterate averaging (Gadam, GadamX) or KOALA over
 * two FLOAT64 parameters, with the parameters (and slow weights or averages) after every step.
 */
final class WrapperFixture {
    static final double TOLERANCE = 1e-10;
    /** The step after which the resume tests save the state. */
    static final int SAVE_AT = 5;

    final String name;
    String kind;
    String inner;
    final Map<String, String> wrapper = new LinkedHashMap<>();
    final List<Map<String, Double>> groupOptions = new ArrayList<>();
    final List<List<String>> groupParams = new ArrayList<>();
    final Map<String, Tensor> init = new LinkedHashMap<>();
    final List<Map<String, Tensor>> grads = new ArrayList<>();
    final List<double[]> losses = new ArrayList<>();
    final List<Map<String, double[]>> params = new ArrayList<>();
    final List<Map<String, double[]>> slow = new ArrayList<>();
    final List<Map<String, double[]>> avg = new ArrayList<>();

    private WrapperFixture(String name) {
        this.name = name;
    }

    static WrapperFixture load(String name) {
        String path = "/fixtures/wrappers/" + name + ".txt";
        WrapperFixture f = new WrapperFixture(name);
        try (InputStream in = WrapperFixture.class.getResourceAsStream(path)) {
            assertNotNull(in, "missing fixture " + path);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] w = line.trim().split(" ");
                switch (w[0]) {
                    case "optimizer" -> {
                        f.kind = w[1];
                        f.inner = w.length > 2 ? w[2] : null;
                    }
                    case "wrapper" -> {
                        for (int i = 1; i < w.length; i++) {
                            String[] kv = w[i].split("=", 2);
                            f.wrapper.put(kv[0], kv[1]);
                        }
                    }
                    case "group" -> {
                        Map<String, Double> options = new LinkedHashMap<>();
                        for (int i = 1; i < w.length; i++) {
                            String[] kv = w[i].split("=", 2);
                            if (kv[0].equals("params")) {
                                f.groupParams.add(List.of(kv[1].split(",")));
                            } else {
                                options.put(kv[0], Double.parseDouble(kv[1]));
                            }
                        }
                        f.groupOptions.add(options);
                    }
                    case "init" -> {
                        int[] shape = Arrays.stream(w[2].split(",")).mapToInt(Integer::parseInt).toArray();
                        f.init.put(w[1], Tensor.of(values(w, 3), shape));
                    }
                    case "grad" -> at(f.grads, Integer.parseInt(w[1])).put(w[2],
                            Tensor.of(values(w, 3), f.init.get(w[2]).shape().toArray()));
                    case "loss" -> {
                        while (f.losses.size() < Integer.parseInt(w[1])) {
                            f.losses.add(null);
                        }
                        f.losses.set(Integer.parseInt(w[1]) - 1, values(w, 2));
                    }
                    case "param" -> at(f.params, Integer.parseInt(w[1])).put(w[2], values(w, 3));
                    case "slow" -> at(f.slow, Integer.parseInt(w[1])).put(w[2], values(w, 3));
                    case "avg" -> at(f.avg, Integer.parseInt(w[1])).put(w[2], values(w, 3));
                    default -> fail(path + ": unexpected line " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    private static <T> Map<String, T> at(List<Map<String, T>> list, int step) {
        while (list.size() < step) {
            list.add(new LinkedHashMap<>());
        }
        return list.get(step - 1);
    }

    private static double[] values(String[] w, int from) {
        return Arrays.stream(w, from, w.length).mapToDouble(Double::parseDouble).toArray();
    }

    int steps() {
        return params.size();
    }

    Map<String, Variable> freshParams() {
        Map<String, Variable> out = new LinkedHashMap<>();
        init.forEach((n, t) -> out.put(n, Variable.parameter(t.clone())));
        return out;
    }

    private List<ParamGroup> groups(Map<String, Variable> ps) {
        List<ParamGroup> groups = new ArrayList<>();
        for (int i = 0; i < groupOptions.size(); i++) {
            Map<String, Variable> members = new LinkedHashMap<>();
            groupParams.get(i).forEach(n -> members.put(n, ps.get(n)));
            groups.add(new ParamGroup(members, groupOptions.get(i)));
        }
        return groups;
    }

    private Map<String, Double> settings() {
        Map<String, Double> out = new LinkedHashMap<>();
        wrapper.forEach((k, v) -> out.put(k, Double.parseDouble(v)));
        return out;
    }

    /** The fixture's optimizer over {@code ps}. */
    Optimizer build(Map<String, Variable> ps) {
        return switch (kind) {
            case "Lookahead" -> new Lookahead(innerOf(ps), (int) Double.parseDouble(wrapper.get("k")),
                    Double.parseDouble(wrapper.get("alpha")),
                    Lookahead.Pullback.valueOf(wrapper.get("pullback").toUpperCase(Locale.ROOT)));
            case "IterateAveraging" -> new IterateAveraging(innerOf(ps), (long) Double.parseDouble(wrapper.get("start")),
                    (long) Double.parseDouble(wrapper.get("frequency")));
            case "KoalaV" -> new Koala.Vanilla(groups(ps), settings());
            case "KoalaM" -> new Koala.Momentum(groups(ps), settings());
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private Optimizer innerOf(Map<String, Variable> ps) {
        return switch (inner) {
            case "SGD" -> new SGD(groups(ps));
            case "Adam" -> new Adam(groups(ps));
            case "AdamW" -> new AdamW(groups(ps));
            case "PadamW" -> new PadamW(groups(ps));
            default -> throw new IllegalArgumentException(inner);
        };
    }

    /** One step: KOALA's predict, gradients, update(loss, statistic); otherwise gradients and step(). */
    void step(Optimizer opt, Map<String, Variable> ps, int step) {
        if (opt instanceof Koala koala) {
            koala.predict();
            grads.get(step - 1).forEach((n, g) -> ps.get(n).setGrad(g.clone()));
            double[] l = losses.get(step - 1);
            koala.update(l[0], l[1]);
        } else {
            grads.get(step - 1).forEach((n, g) -> ps.get(n).setGrad(g.clone()));
            opt.step();
        }
    }

    /** The wrapper's extra weights of each parameter (slow weights or averages), null where none. */
    static Map<String, double[]> extra(Optimizer opt, Map<String, Variable> ps) {
        Map<String, double[]> out = new LinkedHashMap<>();
        ps.forEach((n, p) -> {
            Tensor t = opt instanceof Lookahead la ? la.slowWeights(p)
                    : opt instanceof IterateAveraging ia ? ia.average(p) : null;
            if (t != null) {
                out.put(n, t.toDoubleArray());
            }
        });
        return out;
    }

    private void check(String what, int step, String n, double[] actual, double[] want) {
        assertEquals(want.length, actual.length, name + ": " + what + " size");
        for (int i = 0; i < want.length; i++) {
            double rel = Math.abs(actual[i] - want[i]) / Math.abs(want[i]);
            if (!(rel < TOLERANCE)) {
                fail(name + ": step " + step + ", " + what + " " + n + "[" + i + "] = " + actual[i] + ", reference has "
                        + want[i] + " (relative error " + rel + ")");
            }
        }
    }

    /** Runs every step and checks parameters, slow weights and averages against the reference after each. */
    void assertMatchesReference() {
        Map<String, Variable> ps = freshParams();
        Optimizer opt = build(ps);
        for (int step = 1; step <= steps(); step++) {
            step(opt, ps, step);
            for (Map.Entry<String, Variable> e : ps.entrySet()) {
                String n = e.getKey();
                check("param", step, n, e.getValue().value().toDoubleArray(), params.get(step - 1).get(n));
            }
            Map<String, double[]> x = extra(opt, ps);
            List<Map<String, double[]>> want = kind.equals("Lookahead") ? slow : kind.equals("IterateAveraging") ? avg : null;
            if (want != null) {
                Map<String, double[]> expected = step <= want.size() ? want.get(step - 1) : Map.of();
                assertEquals(expected.keySet(), x.keySet(), name + ": step " + step + " extra weights present");
                for (String n : expected.keySet()) {
                    check(kind.equals("Lookahead") ? "slow" : "avg", step, n, x.get(n), expected.get(n));
                }
            }
        }
    }

    /**
     * Saves the whole state (wrapper included) after {@link #SAVE_AT} steps, restores it into a fresh optimizer
     * over fresh copies of the parameters and continues: bit-identical to an uninterrupted run.
     */
    void assertResumesExactly() {
        Map<String, Variable> straight = freshParams();
        Optimizer reference = build(straight);
        for (int step = 1; step <= steps(); step++) {
            step(reference, straight, step);
        }
        Map<String, Variable> first = freshParams();
        Optimizer before = build(first);
        for (int step = 1; step <= SAVE_AT; step++) {
            step(before, first, step);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        before.stateTensors().forEach((k, t) -> tensors.put(k, t.clone()));
        Map<String, Object> scalars = new LinkedHashMap<>(before.stateScalars());
        Map<String, Variable> second = new LinkedHashMap<>();
        first.forEach((n, p) -> second.put(n, Variable.parameter(p.value().clone())));
        Optimizer after = build(second);
        after.loadState(tensors, scalars);
        for (int step = SAVE_AT + 1; step <= steps(); step++) {
            step(after, second, step);
        }
        straight.forEach((n, p) -> assertArrayEquals(p.value().toDoubleArray(), second.get(n).value().toDoubleArray(),
                name + ": " + n + " after resuming"));
        Map<String, double[]> x = extra(reference, straight);
        Map<String, double[]> y = extra(after, second);
        assertEquals(x.keySet(), y.keySet());
        x.forEach((n, v) -> assertArrayEquals(v, y.get(n), name + ": extra weights of " + n));
        assertEquals(reference.stateTensors().keySet(), after.stateTensors().keySet(), name + ": buffers");
        reference.stateTensors().forEach((k, t) -> assertArrayEquals(t.toDoubleArray(),
                after.stateTensors().get(k).toDoubleArray(), name + ": buffer " + k));
        assertEquals(reference.stateScalars(), after.stateScalars(), name + ": scalars");
    }
}
