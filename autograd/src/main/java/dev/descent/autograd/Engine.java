package dev.descent.autograd;

import dev.descent.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backward pass. From the outputs, it finds every node they depend on, counts each node's consumers,
 * and runs the nodes in reverse topological order: a node runs once the gradients from all of its
 * consumers have been summed. Leaves' gradients are summed too, then either accumulated into
 * {@code .grad} ({@code backward}) or returned ({@code grad}). With {@code createGraph} the rules run with
 * recording on, so the gradients come with a graph of their own; without it nothing is recorded.
 *
 * <p>Without {@code createGraph}, a sum of gradients that the pass made itself (an <i>owned</i> one: a sum, or
 * the zeros that slices are added into) is not seen by anyone until its node runs, so later terms are added
 * into it in place; and a narrow's gradient is added straight into its slice of the input's gradient, where
 * the rule would pad it with zeros to the input's whole shape first (the query, key and value of a fused
 * attention projection: three padded copies and two whole-size sums).
 */
final class Engine {
    private Engine() {
    }

    /**
     * Runs backward from {@code outputs} seeded with {@code seeds}. When {@code targets} is null this is
     * {@code backward()}: every leaf that requires a gradient accumulates into {@code .grad}. Otherwise the
     * gradients of {@code targets} are returned (null for those that no output depends on) and no
     * {@code .grad} is touched.
     */
    static Variable[] run(List<Variable> outputs, List<Variable> seeds, List<Variable> targets,
                          boolean retainGraph, boolean createGraph) {
        boolean before = GradMode.set(createGraph);
        try {
            return new Pass(targets, retainGraph).run(outputs, seeds);
        } finally {
            GradMode.set(before);
        }
    }

    /** The state of one backward pass. */
    private static final class Pass {
        private final Map<Node, Integer> consumers = new IdentityHashMap<>();
        private final Map<Node, Variable> nodeGrads = new IdentityHashMap<>();
        private final Map<Node, Variable> outputsOf = new IdentityHashMap<>();
        private final Map<Variable, Variable> leafGrads = new IdentityHashMap<>();
        private final Map<Node, Boolean> reaches = new IdentityHashMap<>();
        private final Map<Variable, Variable> captured = new IdentityHashMap<>();
        /** The pending gradients this pass made and nobody else holds (see the class comment). */
        private final Map<Variable, Boolean> owned = new IdentityHashMap<>();
        /**
         * For each owned gradient that is still zeros but for slices of one axis copied into it, those slices
         * ({axis, start, end}): a narrow's gradient that lands on none of them is copied, not added.
         */
        private final Map<Variable, List<int[]>> slicesOnly = new IdentityHashMap<>();
        /** Whether gradients are plain values (no graph), so that owned ones may be added into in place. */
        private final boolean inPlace = !GradMode.isEnabled();
        private final Map<Variable, Boolean> targetSet;
        private final List<Variable> targets;
        private final boolean retainGraph;

        Pass(List<Variable> targets, boolean retainGraph) {
            this.targets = targets;
            this.retainGraph = retainGraph;
            if (targets == null) {
                targetSet = null;
            } else {
                targetSet = new IdentityHashMap<>();
                for (Variable t : targets) {
                    targetSet.put(t, Boolean.TRUE);
                }
            }
        }

        Variable[] run(List<Variable> outputs, List<Variable> seeds) {
            ArrayDeque<Node> ready = new ArrayDeque<>();
            for (int i = 0; i < outputs.size(); i++) {
                Variable out = outputs.get(i);
                Variable seed = seeds.get(i);
                if (out.node() == null) {
                    addLeaf(out, seed);
                } else {
                    count(out);
                    nodeGrads.merge(out.node(), seed, Variable::add);
                }
            }
            for (Variable out : outputs) {
                Node n = out.node();
                if (n != null && consumers.get(n) == 0 && !ready.contains(n)) {
                    ready.add(n);
                }
            }
            while (!ready.isEmpty()) {
                Node node = ready.poll();
                step(node, ready);
            }
            finishLeaves();
            if (targets == null) {
                return null;
            }
            Variable[] result = new Variable[targets.size()];
            for (int i = 0; i < result.length; i++) {
                result[i] = captured.get(targets.get(i));
            }
            return result;
        }

        /** Records every node the output depends on, with the number of edges into it. */
        private void count(Variable out) {
            if (consumers.containsKey(out.node())) {
                return; // already counted, as another output or as an ancestor of one
            }
            ArrayDeque<Variable> stack = new ArrayDeque<>();
            consumers.put(out.node(), 0);
            outputsOf.put(out.node(), out);
            stack.push(out);
            while (!stack.isEmpty()) {
                Variable v = stack.pop();
                for (Variable in : v.node().inputs) {
                    Node n = in.node();
                    if (n == null) {
                        continue;
                    }
                    Integer c = consumers.get(n);
                    consumers.put(n, c == null ? 1 : c + 1);
                    if (c == null) {
                        outputsOf.put(n, in);
                        stack.push(in);
                    }
                }
            }
        }

        /** Whether a gradient through this node can reach anything wanted. */
        private boolean reaches(Node node) {
            if (targetSet == null) {
                return true;
            }
            Boolean known = reaches.get(node);
            if (known != null) {
                return known;
            }
            // iterative post-order, so that deep graphs (long chains) do not overflow the stack
            ArrayDeque<Node> stack = new ArrayDeque<>();
            stack.push(node);
            while (!stack.isEmpty()) {
                Node n = stack.peek();
                boolean pending = false;
                boolean any = false;
                for (Variable in : n.inputs) {
                    if (targetSet.containsKey(in)) {
                        any = true;
                    } else if (in.node() != null) {
                        Boolean r = reaches.get(in.node());
                        if (r == null) {
                            stack.push(in.node());
                            pending = true;
                        } else {
                            any |= r;
                        }
                    }
                }
                if (!pending) {
                    stack.pop();
                    reaches.put(n, any);
                }
            }
            return reaches.get(node);
        }

        private boolean wanted(Variable input) {
            if (!input.requiresGrad()) {
                return false;
            }
            if (targetSet == null) {
                return true;
            }
            return targetSet.containsKey(input) || (input.node() != null && reaches(input.node()));
        }

        private void step(Node node, ArrayDeque<Node> ready) {
            Variable output = outputsOf.get(node);
            Variable grad = nodeGrads.remove(node);
            // from here on the rule and the hooks may pass the gradient on: it is no longer a sum to add into.
            // One that only this pass holds (a sum it made, or a rule's fresh result) may be overwritten by the
            // rule it goes to (the mark lasts for that rule alone), unless a hook sees it or the caller gets it
            boolean held = owned.remove(grad) != null;
            slicesOnly.remove(grad);
            boolean fresh = grad != null && (grad.takeExclusive() | held) && !output.hasHooks()
                    && (targetSet == null || !targetSet.containsKey(output));
            if (grad != null) {
                grad = output.runHooks(grad);
                if (targetSet != null && targetSet.containsKey(output)) {
                    captured.put(output, grad);
                }
            }
            Variable[] inputGrads = null;
            if (grad != null && reaches(node)) {
                boolean[] needs = new boolean[node.inputs.length];
                boolean anyNeeded = false;
                for (int i = 0; i < needs.length; i++) {
                    needs[i] = wanted(node.inputs[i]);
                    anyNeeded |= needs[i];
                }
                Shapes.NarrowRule narrow = anyNeeded && inPlace ? node.narrowRule() : null;
                if (narrow != null && node.inputs[0].node() != null) {
                    addToSlice(node.inputs[0], narrow, grad); // inputGrads stays null: nothing left to merge
                } else if (anyNeeded) {
                    if (fresh && inPlace) {
                        grad.markExclusive();
                    }
                    inputGrads = node.apply(output, grad, needs);
                    grad.takeExclusive();
                    check(node, inputGrads, needs);
                }
                if (!retainGraph) {
                    node.release();
                }
            }
            for (int i = 0; i < node.inputs.length; i++) {
                Variable in = node.inputs[i];
                Variable g = inputGrads == null ? null : inputGrads[i];
                Node producer = in.node();
                if (producer == null) {
                    if (g != null && in.requiresGrad()) {
                        addLeaf(in, g);
                    }
                    continue;
                }
                if (g != null) {
                    merge(nodeGrads, producer, g);
                }
                int left = consumers.merge(producer, -1, Integer::sum);
                if (left == 0) {
                    ready.add(producer);
                }
            }
        }

        private void addLeaf(Variable leaf, Variable g) {
            merge(leafGrads, leaf, g);
        }

        /**
         * Adds g to the pending gradient of key: in place into an owned sum, or into g when a rule has just made
         * it ({@link Variable#exclusive}; addition commutes, so the sum is the same to the bit), else into a new
         * (owned) one.
         */
        private <K> void merge(Map<K, Variable> pending, K key, Variable g) {
            boolean fresh = inPlace && g.takeExclusive();
            Variable sum = pending.get(key);
            if (sum == null) {
                pending.put(key, g);
                if (fresh) {
                    owned.put(g, Boolean.TRUE);
                }
            } else if (owned.containsKey(sum)) {
                sum.value().add_(g.value());
                slicesOnly.remove(sum);
            } else if (fresh) {
                g.value().add_(sum.value());
                pending.put(key, g);
                owned.put(g, Boolean.TRUE);
            } else {
                sum = sum.add(g);
                pending.put(key, sum);
                if (inPlace) {
                    owned.put(sum, Boolean.TRUE);
                }
            }
        }

        /**
         * Adds a narrow's gradient g into its slice of the pending gradient of the narrowed {@code input}; into
         * zeros that no other slice has touched there, it is copied (a copy runs in bulk, an add row by row).
         */
        private void addToSlice(Variable input, Shapes.NarrowRule narrow, Variable g) {
            Node producer = input.node();
            Variable sum = nodeGrads.get(producer);
            if (sum == null || !owned.containsKey(sum)) {
                boolean fresh = sum == null;
                sum = Variable.constant(fresh ? input.value().zerosLike() : sum.value().clone());
                nodeGrads.put(producer, sum);
                owned.put(sum, Boolean.TRUE);
                if (fresh) {
                    slicesOnly.put(sum, new ArrayList<>());
                }
            }
            int length = g.size(narrow.axis());
            int[] slice = {narrow.axis(), narrow.start(), narrow.start() + length};
            Tensor target = sum.value().narrow(narrow.axis(), narrow.start(), length);
            List<int[]> taken = slicesOnly.get(sum);
            if (taken != null && disjoint(taken, slice)) {
                target.copy_(g.value());
                taken.add(slice);
            } else {
                target.add_(g.value());
                slicesOnly.remove(sum);
            }
        }

        private void finishLeaves() {
            for (Map.Entry<Variable, Variable> e : leafGrads.entrySet()) {
                Variable leaf = e.getKey();
                Variable g = leaf.runHooks(e.getValue());
                if (targetSet == null) {
                    leaf.accumulateGrad(g.value(), owned.containsKey(e.getValue()) && g == e.getValue());
                } else if (targetSet.containsKey(leaf)) {
                    captured.put(leaf, g);
                }
            }
        }

        /** Whether a slice {axis, start, end} overlaps none of those taken (any slice of another axis may). */
        private static boolean disjoint(List<int[]> taken, int[] slice) {
            for (int[] t : taken) {
                if (t[0] != slice[0] || (slice[1] < t[2] && t[1] < slice[2])) {
                    return false;
                }
            }
            return true;
        }

        /** The rule kept its contract: one gradient per input, each of its input's shape and dtype. */
        private void check(Node node, Variable[] grads, boolean[] needs) {
            if (grads == null || grads.length != node.inputs.length) {
                throw new IllegalStateException("backward of '" + node.op + "' returned "
                        + (grads == null ? "null" : grads.length + " gradients") + " for " + node.inputs.length
                        + " inputs");
            }
            for (int i = 0; i < grads.length; i++) {
                Variable g = grads[i];
                if (g == null || !needs[i]) {
                    continue;
                }
                Variable in = node.inputs[i];
                if (!g.shape().equals(in.shape()) || g.dtype() != in.dtype()) {
                    throw new IllegalStateException("backward of '" + node.op + "' returned a gradient of shape "
                            + g.shape() + " (" + g.dtype() + ") for input " + i + " of shape " + in.shape() + " ("
                            + in.dtype() + ")");
                }
                if (GradMode.isAnomalyEnabled() || node.forwardTrace != null) {
                    checkFinite(node, i, g.value());
                }
            }
        }

        private static void checkFinite(Node node, int input, Tensor g) {
            // x - x is NaN exactly where x is NaN or infinite
            if (g.numel() > 0 && Double.isNaN(g.sub(g).sum().item())) {
                throw new IllegalStateException("anomaly: backward of '" + node.op + "' produced a NaN or an"
                        + " infinity in the gradient of its input " + input
                        + " (shape " + g.shape() + "); the forward operation '" + node.op
                        + "' is where it was recorded (see the cause for its stack)", node.forwardTrace);
            }
        }
    }
}
