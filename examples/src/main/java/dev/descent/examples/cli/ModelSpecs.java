package dev.descent.examples.cli;

import dev.descent.autograd.Variable;
import dev.descent.examples.cli.DataSpecs.Data;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Flatten;
import dev.descent.nn.Layer;
import dev.descent.nn.Linear;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.Module;
import dev.descent.nn.NormPosition;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.TransformerLM;
import dev.descent.nn.models.ResNet;
import dev.descent.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Parses the {@code --model} specs of {@code descent train} and builds the modules for the data at hand; bad specs
 * are reported as an {@link IllegalArgumentException}.
 */
final class ModelSpecs {
    private ModelSpecs() {
    }

    static Module buildModel(String text, Data d, Rng rng) {
        String name = text;
        String args = "";
        int colon = text.indexOf(':');
        if (colon >= 0) {
            name = text.substring(0, colon);
            args = text.substring(colon + 1);
        }
        String kind = name.toLowerCase(Locale.ROOT);
        if (d.language() != kind.equals("transformer")) {
            throw new IllegalArgumentException(d.language()
                    ? "'" + text + "' takes images or features, but " + d.name() + " is text (use transformer)"
                    : "'" + text + "' takes text, but " + d.name() + " is images or features");
        }
        switch (kind) {
            case "mlp": {
                String[] parts = args.split("-");
                int[] sizes;
                try {
                    sizes = Arrays.stream(parts).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "': expected mlp:IN-H1-...-OUT with positive"
                            + " integers");
                }
                if (sizes.length < 2 || Arrays.stream(sizes).anyMatch(v -> v < 1)) {
                    throw new IllegalArgumentException("'" + text + "': expected mlp:IN-H1-...-OUT with at least IN"
                            + " and OUT, all positive");
                }
                int features = Arrays.stream(d.exampleShape()).reduce(1, (a, b) -> a * b);
                if (sizes[0] != features) {
                    throw new IllegalArgumentException("'" + text + "' takes " + sizes[0] + " inputs but "
                            + d.name() + " has " + features + " features per example");
                }
                checkClasses(text, sizes[sizes.length - 1], d);
                List<Layer> layers = new ArrayList<>();
                if (d.exampleShape().length > 1) {
                    // images: flatten first; keep the PyTorch names 0.weight, 2.weight ... by flattening the batch
                    // inputs instead of adding a layer
                }
                for (int i = 0; i + 1 < sizes.length; i++) {
                    if (i > 0) {
                        layers.add(new ReLU());
                    }
                    layers.add(new Linear(sizes[i], sizes[i + 1], rng));
                }
                Sequential seq = new Sequential(layers);
                return d.exampleShape().length > 1 ? new FlattenInputs(seq) : seq;
            }
            case "cnn": {
                requireNoArgs(text, args);
                requireShape(text, d, 1, 28);
                checkClasses(text, 10, d);
                return new Sequential(new Conv2d(1, 32, 3, rng), new ReLU(), new MaxPool2d(2),
                        new Conv2d(32, 64, 3, rng), new ReLU(), new MaxPool2d(2), new Flatten(),
                        new Linear(1600, 128, rng), new ReLU(), new Linear(128, 10, rng));
            }
            case "resnet":
            case "resnet20": {
                if (d.exampleShape().length != 3) {
                    throw new IllegalArgumentException("'" + text + "' takes images [C, H, W], but " + d.name()
                            + " has examples of shape " + Arrays.toString(d.exampleShape()));
                }
                int c = d.exampleShape()[0];
                if (kind.equals("resnet20")) {
                    requireNoArgs(text, args);
                    return ResNet.resnet20(c, d.classes(), rng);
                }
                int blocks;
                try {
                    blocks = args.isEmpty() ? 1 : Integer.parseInt(args);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "': expected resnet[:BLOCKS_PER_STAGE]");
                }
                return new ResNet(c, new int[] {8, 16, 32}, blocks, true, d.classes(), rng);
            }
            case "transformer": {
                Map<String, String> kv = new LinkedHashMap<>();
                if (!args.isEmpty()) {
                    for (String part : args.split(",")) {
                        int eq = part.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("'" + text + "': expected KEY=VALUE, got '" + part
                                    + "'");
                        }
                        kv.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
                    }
                }
                for (String k : kv.keySet()) {
                    if (!List.of("d", "heads", "layers", "ff", "len", "norm").contains(k)) {
                        throw new IllegalArgumentException("'" + text + "': unknown size '" + k
                                + "' (known: d, heads, layers, ff, len, norm)");
                    }
                }
                try {
                    int dm = Integer.parseInt(kv.getOrDefault("d", "64"));
                    int heads = Integer.parseInt(kv.getOrDefault("heads", "4"));
                    int layers = Integer.parseInt(kv.getOrDefault("layers", "2"));
                    int ff = Integer.parseInt(kv.getOrDefault("ff", Integer.toString(4 * dm)));
                    int len = Integer.parseInt(kv.getOrDefault("len", Integer.toString(DataSpecs.TEXT_LENGTH)));
                    String norm = kv.getOrDefault("norm", "pre").toLowerCase(Locale.ROOT);
                    if (!norm.equals("pre") && !norm.equals("post")) {
                        throw new IllegalArgumentException("'" + text + "': norm must be pre or post, got " + norm);
                    }
                    if (len < DataSpecs.TEXT_LENGTH) {
                        throw new IllegalArgumentException("'" + text + "': len " + len + " is shorter than the "
                                + DataSpecs.TEXT_LENGTH + "-character windows");
                    }
                    return new TransformerLM(TransformerLM.Config.builder(d.classes(), len, dm, heads, layers)
                            .dimFeedforward(ff).normPosition(norm.equals("pre") ? NormPosition.PRE : NormPosition.POST)
                            .build(), rng);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "': sizes must be integers");
                }
            }
            default:
                throw new IllegalArgumentException("unknown model '" + text
                        + "' (known: mlp:IN-H1-...-OUT, cnn, resnet[:N], resnet20, transformer[:d=..,heads=..,"
                        + "layers=..,ff=..,len=..,norm=pre|post])");
        }
    }

    private static void requireNoArgs(String text, String args) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' takes no arguments");
        }
    }

    private static void requireShape(String text, Data d, int channels, int side) {
        if (!Arrays.equals(d.exampleShape(), new int[] {channels, side, side})) {
            throw new IllegalArgumentException("'" + text + "' takes images [" + channels + ", " + side + ", " + side
                    + "], but " + d.name() + " has examples of shape " + Arrays.toString(d.exampleShape()));
        }
    }

    private static void checkClasses(String text, int out, Data d) {
        if (out < d.classes()) {
            throw new IllegalArgumentException("'" + text + "' has " + out + " outputs but " + d.name() + " has "
                    + d.classes() + " classes");
        }
    }

    /** An MLP on images: flattens [N, ...] to [N, features] first; parameter names stay the Sequential's. */
    static final class FlattenInputs extends Layer {
        private final Sequential inner;

        FlattenInputs(Sequential inner) {
            this.inner = Objects.requireNonNull(inner);
            for (Map.Entry<String, Module> e : inner.namedChildren().entrySet()) {
                registerModule(e.getKey(), e.getValue());
            }
        }

        @Override
        public Variable forward(Variable input) {
            return inner.forward(input.flatten(1, input.dim() - 1));
        }
    }
}
