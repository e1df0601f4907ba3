package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.Map;

/**
 * One reference run of an optimizer read from {@code fixtures/<folder>/<case>.txt}: {@code fixtures/torch}
 * written by {@code gen_torch_fixtures.py} from torch.optim, {@code fixtures/paper1} by
 * {@code gen_paper1_fixtures.py} from reference implementations of spec/optimizers.md §2, §4, §5, §7. Each holds
 * the optimizer, its parameter groups, the initial FLOAT64 parameters, the gradient of each parameter at every
 * step (or none) and the reference parameters after every step.
 */
final class TorchFixture {
    /** Largest relative difference allowed from the reference's float64 results. */
    static final double TOLERANCE = 1e-10;

    final String name;
    final String optimizer;
    final List<Map<String, Double>> groupOptions = new ArrayList<>();
    final List<List<String>> groupParams = new ArrayList<>();
    final Map<String, Tensor> init = new LinkedHashMap<>();
    /** Per step (index step − 1): each parameter's gradient, null where it has none. */
    final List<Map<String, Tensor>> grads = new ArrayList<>();
    /** Per step (index step − 1): the reference parameter values after the step. */
    final List<Map<String, double[]>> expected = new ArrayList<>();

    private TorchFixture(String name, String optimizer) {
        this.name = name;
        this.optimizer = optimizer;
    }

    static TorchFixture load(String name) {
        return load("torch", name);
    }

    static TorchFixture load(String folder, String name) {
        String path = "/fixtures/" + folder + "/" + name + ".txt";
        try (InputStream in = TorchFixture.class.getResourceAsStream(path)) {
            assertNotNull(in, "missing fixture " + path);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            TorchFixture f = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] w = line.split(" ");
                switch (w[0]) {
                    case "optimizer" -> f = new TorchFixture(name, w[1]);
                    case "group" -> f.parseGroup(w);
                    case "init" -> {
                        int[] shape = Arrays.stream(w[2].split(",")).mapToInt(Integer::parseInt).toArray();
                        f.init.put(w[1], Tensor.of(values(w, 3), shape));
                    }
                    case "grad" -> {
                        Map<String, Tensor> step = f.at(f.grads, Integer.parseInt(w[1]));
                        Tensor shapeOf = f.init.get(w[2]);
                        step.put(w[2], w[3].equals("none") ? null
                                : Tensor.of(values(w, 3), shapeOf.shape().toArray()));
                    }
                    case "param" -> f.at(f.expected, Integer.parseInt(w[1])).put(w[2], values(w, 3));
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

    private <T> Map<String, T> at(List<Map<String, T>> list, int step) {
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

    /** Fresh parameters holding copies of the initial values. */
    Map<String, Variable> freshParams() {
        Map<String, Variable> params = new LinkedHashMap<>();
        init.forEach((n, t) -> params.put(n, Variable.parameter(t.clone())));
        return params;
    }

    /** The fixture's optimizer over {@code params}, with the fixture's groups. */
    Optimizer build(Map<String, Variable> params) {
        List<ParamGroup> groups = new ArrayList<>();
        for (int i = 0; i < groupOptions.size(); i++) {
            Map<String, Variable> members = new LinkedHashMap<>();
            groupParams.get(i).forEach(n -> members.put(n, params.get(n)));
            groups.add(new ParamGroup(members, groupOptions.get(i)));
        }
        return switch (optimizer) {
            case "SGD" -> new SGD(groups);
            case "Adam" -> new Adam(groups);
            case "AdamW" -> new AdamW(groups);
            case "Adamax" -> new Adamax(groups);
            case "RMSprop" -> new RMSprop(groups);
            case "Adagrad" -> new Adagrad(groups);
            case "Adadelta" -> new Adadelta(groups);
            case "NAdam" -> new NAdam(groups);
            case "RAdam" -> new RAdam(groups);
            case "OfficialRAdam" -> new OfficialRAdam(groups);
            case "AdaBelief" -> new AdaBelief(groups);
            case "ACProp" -> new ACProp(groups);
            case "DiffGrad" -> new DiffGrad(groups);
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
    }

    /** Hands {@code params} the gradients of {@code step} (copies; none where the fixture has none) and steps. */
    void step(Optimizer opt, Map<String, Variable> params, int step) {
        grads.get(step - 1).forEach((n, g) -> params.get(n).setGrad(g == null ? null : g.clone()));
        opt.step();
    }

    /** Runs every step and checks each parameter against the reference after each, and the step counters. */
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
                assertEquals(want.length, actual.length);
                for (int i = 0; i < want.length; i++) {
                    double rel = Math.abs(actual[i] - want[i]) / Math.abs(want[i]);
                    if (!(rel < TOLERANCE)) {
                        fail(name + ": step " + step + ", " + n + "[" + i + "] = " + actual[i] + ", the reference has "
                                + want[i] + " (relative error " + rel + ")");
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

    /**
     * Runs half the steps, saves the state, resumes into a fresh optimizer over fresh copies of the parameters
     * and runs the rest: the result must be bit-identical to an uninterrupted run.
     */
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
}
