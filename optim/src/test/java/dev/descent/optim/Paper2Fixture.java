package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One reference run read from {@code fixtures/paper2/<case>.txt}, written by {@code gen_paper2_fixtures.py}
 * next to it (reference implementations of spec/optimizers.md §§6, 8, 9, 11 and of LARS and LAMB, in torch
 * float64): the optimizer, its groups, the initial parameters, each step's gradients (or none), optional Adan
 * restarts, and the reference parameters after every step.
 */
final class Paper2Fixture {
    /** Largest relative difference allowed from the reference's float64 results. */
    static final double TOLERANCE = 1e-10;
    /**
     * Largest difference allowed in the displacement from the initial values, relative to the largest
     * displacement of the tensor: catches errors in tiny updates (Adafactor's warmup) that the relative error
     * of the parameters cannot see.
     */
    static final double DISPLACEMENT_TOLERANCE = 1e-8;

    final String name;
    final String optimizer;
    final List<Map<String, Double>> groupOptions = new ArrayList<>();
    final List<List<String>> groupParams = new ArrayList<>();
    final Map<String, Tensor> init = new LinkedHashMap<>();
    final List<Map<String, Tensor>> grads = new ArrayList<>();
    final List<Map<String, double[]>> expected = new ArrayList<>();
    final Set<Integer> restarts = new HashSet<>();

    private Paper2Fixture(String name, String optimizer) {
        this.name = name;
        this.optimizer = optimizer;
    }

    static Paper2Fixture load(String name) {
        String path = "/fixtures/paper2/" + name + ".txt";
        try (InputStream in = Paper2Fixture.class.getResourceAsStream(path)) {
            assertNotNull(in, "missing fixture " + path);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Paper2Fixture f = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] w = line.split(" ");
                switch (w[0]) {
                    case "optimizer" -> f = new Paper2Fixture(name, w[1]);
                    case "group" -> f.parseGroup(w);
                    case "init" -> {
                        int[] shape = Arrays.stream(w[2].split(",")).mapToInt(Integer::parseInt).toArray();
                        f.init.put(w[1], Tensor.of(values(w, 3), shape));
                    }
                    case "grad" -> {
                        Map<String, Tensor> step = at(f.grads, Integer.parseInt(w[1]));
                        step.put(w[2], w[3].equals("none") ? null
                                : Tensor.of(values(w, 3), f.init.get(w[2]).shape().toArray()));
                    }
                    case "param" -> at(f.expected, Integer.parseInt(w[1])).put(w[2], values(w, 3));
                    case "restart" -> f.restarts.add(Integer.parseInt(w[1]));
                    default -> fail(path + ": unexpected line " + line);
                }
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void parseGroup(String[] w) {
        Map<String, Double> options = new LinkedHashMap<>();
        for (int i = 1; i < w.length; i++) {
            String[] kv = w[i].split("=", 2);
            if (kv[0].equals("params")) {
                groupParams.add(List.of(kv[1].split(",")));
            } else {
                options.put(kv[0], Double.parseDouble(kv[1]));
            }
        }
        groupOptions.add(options);
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
        return expected.size();
    }

    Map<String, Variable> freshParams() {
        Map<String, Variable> params = new LinkedHashMap<>();
        init.forEach((n, t) -> params.put(n, Variable.parameter(t.clone())));
        return params;
    }

    Optimizer build(Map<String, Variable> params) {
        List<ParamGroup> groups = new ArrayList<>();
        for (int i = 0; i < groupOptions.size(); i++) {
            Map<String, Variable> members = new LinkedHashMap<>();
            groupParams.get(i).forEach(n -> members.put(n, params.get(n)));
            groups.add(new ParamGroup(members, groupOptions.get(i)));
        }
        return switch (optimizer) {
            case "Adafactor.HF" -> new Adafactor(groups, Adafactor.Mode.HF);
            case "Adafactor.TORCH" -> new Adafactor(groups, Adafactor.Mode.TORCH);
            case "Adan" -> new Adan(groups);
            case "PNM" -> new PNM(groups);
            case "AdaPNM" -> new AdaPNM(groups);
            case "SignSGD" -> new SignSGD(groups);
            case "Signum" -> new Signum(groups);
            case "GeneralizedSignSGD" -> new GeneralizedSignSGD(groups);
            case "LARS" -> new LARS(groups);
            case "LAMB" -> new LAMB(groups);
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
    }

    void step(Optimizer opt, Map<String, Variable> params, int step) {
        if (restarts.contains(step)) {
            ((Adan) opt).restart();
        }
        grads.get(step - 1).forEach((n, g) -> params.get(n).setGrad(g == null ? null : g.clone()));
        opt.step();
    }

    /** Runs every step and checks each parameter (and its displacement) against the reference after each. */
    void assertMatchesReference() {
        Map<String, Variable> params = freshParams();
        Optimizer opt = build(params);
        Map<String, Long> updates = new LinkedHashMap<>();
        for (int step = 1; step <= steps(); step++) {
            step(opt, params, step);
            for (Map.Entry<String, Variable> e : params.entrySet()) {
                String n = e.getKey();
                if (grads.get(step - 1).get(n) != null) {
                    updates.merge(n, 1L, Long::sum);
                }
                double[] actual = e.getValue().value().toDoubleArray();
                double[] want = expected.get(step - 1).get(n);
                double[] start = init.get(n).toDoubleArray();
                assertEquals(want.length, actual.length);
                double moved = 0;
                for (int i = 0; i < want.length; i++) {
                    moved = Math.max(moved, Math.abs(want[i] - start[i]));
                }
                for (int i = 0; i < want.length; i++) {
                    double rel = Math.abs(actual[i] - want[i]) / Math.abs(want[i]);
                    double displacement = moved == 0 ? Math.abs(actual[i] - start[i])
                            : Math.abs((actual[i] - start[i]) - (want[i] - start[i])) / moved;
                    if (!(rel < TOLERANCE) || !(displacement < DISPLACEMENT_TOLERANCE)) {
                        fail(name + ": step " + step + ", " + n + "[" + i + "] = " + actual[i] + ", reference has "
                                + want[i] + " (relative error " + rel + ", displacement error " + displacement + ")");
                    }
                }
                ParamState state = opt.state(e.getValue());
                if (updates.containsKey(n)) {
                    assertEquals((long) updates.get(n), state.step(), name + ": step counter of " + n);
                } else {
                    assertNull(state, name + ": " + n + " has state before its first gradient");
                }
            }
        }
    }

    /** Half the steps, save, load into a fresh optimizer over fresh parameters, the rest: bit-identical. */
    void assertResumesExactly() {
        Map<String, Variable> straight = freshParams();
        Optimizer reference = build(straight);
        for (int step = 1; step <= steps(); step++) {
            step(reference, straight, step);
        }
        int half = steps() / 2;
        Map<String, Variable> first = freshParams();
        Optimizer before = build(first);
        for (int step = 1; step <= half; step++) {
            step(before, first, step);
        }
        Map<String, Tensor> tensors = before.stateTensors();
        Map<String, Object> scalars = before.stateScalars();
        Map<String, Variable> second = new LinkedHashMap<>();
        first.forEach((n, p) -> second.put(n, Variable.parameter(p.value().clone())));
        Optimizer after = build(second);
        after.loadState(tensors, scalars);
        for (int step = half + 1; step <= steps(); step++) {
            step(after, second, step);
        }
        straight.forEach((n, p) -> assertArrayEquals(p.value().toDoubleArray(), second.get(n).value().toDoubleArray(),
                name + ": " + n + " after resuming"));
        assertEquals(reference.stateTensors().keySet(), after.stateTensors().keySet(), name + ": buffers");
        reference.stateTensors().forEach((k, t) -> assertArrayEquals(t.toDoubleArray(),
                after.stateTensors().get(k).toDoubleArray(), name + ": buffer " + k));
        assertEquals(reference.stateScalars(), after.stateScalars(), name + ": scalars");
    }

    /** Building {@code optimizer} with {@code key = value} (and {@code others}) fails naming the key and value. */
    static void assertRejected(String optimizer, Function<List<ParamGroup>, Optimizer> build, String key, double value,
            Map<String, Double> others) {
        Map<String, Variable> params = Map.of("w", Variable.parameter(Tensor.zeros(DType.FLOAT64, 2, 3)));
        Map<String, Double> options = new HashMap<>(others);
        options.put(key, value);
        List<ParamGroup> groups = List.of(new ParamGroup(params, options));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build.apply(groups));
        assertTrue(e.getMessage().startsWith(optimizer + ": ") && e.getMessage().contains(key)
                && e.getMessage().contains(String.valueOf(value)), e.getMessage());
    }
}
