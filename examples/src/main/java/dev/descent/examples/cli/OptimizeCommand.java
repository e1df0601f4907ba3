package dev.descent.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.analysis.report.LinePlot;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.autograd.Variable;
import dev.descent.optim.Koala;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code descent optimize}: one optimizer of the registry, in FLOAT64, on a test function from a fixed start with
 * the exact gradient each step; prints the trajectory as a table or as one JSON object.
 */
@Command(
        name = "optimize",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Run one optimizer on a test function (FLOAT64, exact gradients) and print the trajectory.",
        description = {
            "Functions, each from a fixed start:",
            "  rosenbrock  f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, from (-1.5, 2).",
            "  quadratic   f(x) = 1/2 sum_i l_i x_i^2 over 10 coordinates, l_i = 10^(-2 + 4i/9) (i = 0..9),"
                    + " from x_i = 1.",
            "The parameter is one FLOAT64 vector; each step sets its gradient to the exact gradient at the current"
                    + " point and calls step(). KOALA (KoalaV, KoalaM) steps with predict(), then the loss f(x) and"
                    + " the per-sample statistic f(x)^2, then update.",
            "With --noise SIGMA each gradient coordinate gets independent N(0, SIGMA^2) noise drawn from --seed"
                    + " (the noisy quadratic model of Zhang et al., 2019); the loss printed stays the exact f(x).",
            "Hyperparameter names and value formats are the reference implementation's (see `descent optimizers`):"
                    + " torch.optim's keyword names for its classes, the official code's otherwise; flags are"
                    + " true/false, None where the reference allows it.",
        },
        footer = {
            "",
            "Example: Adam with AMSGrad on Rosenbrock for 100 steps, as JSON:",
            "  descent optimize --optimizer Adam --opt lr=1e-2 \\",
            "      --opt betas=0.9,0.99 --opt amsgrad=true \\",
            "      --function rosenbrock --steps 100 --json",
            "prints one line:",
            "  {\"optimizer\":\"Adam\",\"hyperparameters\":{\"lr\":0.01,\"betas\":[0.9,0.99],",
            "   \"eps\":1.0E-8,...,\"amsgrad\":true,...},\"function\":\"rosenbrock\",",
            "   \"trajectory\":[{\"step\":0,\"loss\":12.5,\"x\":[-1.5,2.0]},...,{\"step\":100,...}]}",
            "",
            "Example: SGD on the noisy quadratic, trajectory and plot into a folder:",
            "  descent optimize --optimizer SGD --opt lr=0.01 --function quadratic \\",
            "      --steps 200 --noise 0.1 --seed 3 --out runs/noisy-sgd"
        })
final class OptimizeCommand implements Callable<Integer> {
    /** The test functions, by name. */
    static final List<String> FUNCTIONS = List.of("rosenbrock", "quadratic");

    /** One point of a trajectory: the step (0 is the start), f at x, and x. */
    record Point(int step, double loss, double[] x) {
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--optimizer", required = true, paramLabel = "NAME",
            description = "The optimizer, a name of `descent optimizers` (case, '-' and '_' ignored).")
    private String optimizer;

    @Option(names = "--opt", paramLabel = "KEY=VALUE",
            description = "A hyperparameter, as the reference names and writes it (repeatable), e.g."
                    + " lr=1e-3, betas=0.9,0.999, amsgrad=true.")
    private List<String> opts = new ArrayList<>();

    @Option(names = "--function", required = true, paramLabel = "NAME",
            description = "The test function: rosenbrock or quadratic.")
    private String function;

    @Option(names = "--steps", required = true, paramLabel = "N", description = "Number of steps (N >= 0).")
    private int steps;

    @Option(names = "--json", description = "Print one JSON object {optimizer, hyperparameters (every value in force,"
            + " defaults included), function, trajectory: [{step, loss, x}] for steps 0 to N}.")
    private boolean json;

    @Option(names = "--noise", paramLabel = "SIGMA", defaultValue = "0",
            description = "Standard deviation of Gaussian noise added to each gradient coordinate (default 0: exact"
                    + " gradients).")
    private double noise;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the gradient noise (default ${DEFAULT-VALUE}); without --noise nothing is drawn.")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write trajectory.csv, trajectory.json, loss.png"
            + " and the run record (command.txt, run.json) to DIR.")
    private @Nullable Path outDir;

    @Override
    public Integer call() throws JsonProcessingException {
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new ParameterException(spec.commandLine(), "--noise: expected a finite SIGMA >= 0, got " + noise);
        }
        if (steps < 0) {
            throw new ParameterException(spec.commandLine(), "--steps: expected N >= 0, got " + steps);
        }
        String fn = function.toLowerCase(Locale.ROOT);
        if (!FUNCTIONS.contains(fn)) {
            throw new ParameterException(spec.commandLine(), "--function: unknown function '" + function + "' (known: "
                    + String.join(", ", FUNCTIONS) + ")");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String o : opts) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "--opt: expected KEY=VALUE, got '" + o + "'");
            }
            String key = o.substring(0, eq).trim();
            if (options.put(key, o.substring(eq + 1)) != null) {
                throw new ParameterException(spec.commandLine(), "--opt: " + key + " given more than once");
            }
        }
        Optimizers.Entry entry;
        Map<String, Double> values;
        try {
            entry = Optimizers.get(optimizer);
            values = entry.resolve(options);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        List<Point> trajectory;
        try {
            trajectory = run(entry, options, fn, steps, noise, new Rng(seed));
        } catch (IllegalArgumentException e) {
            // e.g. the 8-bit optimizers, which take FLOAT32 parameters only
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Map<String, Object> doc = document(entry, values, fn, trajectory);
        PrintWriter out = spec.commandLine().getOut();
        if (outDir != null) {
            write(new StudyFolder(outDir), doc, trajectory);
        }
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(doc));
        } else {
            out.println("optimizer " + entry.name() + ": " + entry.format(values));
            out.println("function  " + fn + (fn.equals("rosenbrock") ? ", from (-1.5, 2)" : ", 10 coordinates from 1")
                    + "; FLOAT64, exact gradients");
            out.printf(Locale.ROOT, "%6s  %-24s  %s%n", "step", "loss", "x");
            for (Point p : trajectory) {
                out.printf(Locale.ROOT, "%6d  %-24s  %s%n", p.step(), Double.toString(p.loss()),
                        Arrays.stream(p.x()).mapToObj(Double::toString).collect(Collectors.joining(" ")));
            }
            if (outDir != null) {
                out.println("run folder " + outDir);
            }
        }
        out.flush();
        return 0;
    }

    /** The JSON object of {@code --json}: optimizer, hyperparameters in force, function, noise, trajectory. */
    private Map<String, Object> document(Optimizers.Entry entry, Map<String, Double> values, String fn,
            List<Point> trajectory) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("optimizer", entry.name());
        doc.put("hyperparameters", entry.inForce(values));
        doc.put("function", fn);
        if (noise > 0) {
            doc.put("noise", noise);
            doc.put("seed", seed);
        }
        List<Map<String, Object>> points = new ArrayList<>();
        for (Point p : trajectory) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", p.step());
            m.put("loss", p.loss());
            m.put("x", p.x());
            points.add(m);
        }
        doc.put("trajectory", points);
        return doc;
    }

    /** The run folder: the trajectory as CSV and JSON, the loss on a log scale, and the run record. */
    private void write(StudyFolder folder, Map<String, Object> doc, List<Point> trajectory) {
        int dims = trajectory.get(0).x().length;
        List<String> header = new ArrayList<>(List.of("step", "loss"));
        for (int i = 0; i < dims; i++) {
            header.add("x" + i);
        }
        List<List<Object>> rows = new ArrayList<>();
        double[] step = new double[trajectory.size()];
        double[] loss = new double[trajectory.size()];
        for (int i = 0; i < trajectory.size(); i++) {
            Point p = trajectory.get(i);
            List<Object> row = new ArrayList<>(List.of(p.step(), p.loss()));
            Arrays.stream(p.x()).forEach(row::add);
            rows.add(row);
            step[i] = p.step();
            loss[i] = p.loss();
        }
        folder.writeCsv("trajectory.csv", header, rows);
        folder.writeJson("trajectory.json", doc);
        boolean positive = Arrays.stream(loss).allMatch(v -> v > 0 && Double.isFinite(v));
        LinePlot plot = new LinePlot(doc.get("optimizer") + " on " + doc.get("function")
                + (noise > 0 ? " (noise " + noise + ", seed " + seed + ")" : ""), "step", "f(x)")
                .line("f(x)", step, loss);
        folder.writePlot("loss.png", positive ? plot.logY() : plot);
        AnalysisRun.writeRecord(folder, "optimize", spec.commandLine().getParseResult().originalArgs(), seed,
                Map.of("final_loss", loss[loss.length - 1]));
    }

    /** The start of {@code function}. */
    static double[] start(String function) {
        if (function.equals("rosenbrock")) {
            return new double[] {-1.5, 2.0};
        }
        double[] x = new double[10];
        Arrays.fill(x, 1.0);
        return x;
    }

    /** The quadratic's curvatures {@code λ_i = 10^(−2 + 4i/9)}, i = 0..9. */
    static double[] curvatures() {
        double[] l = new double[10];
        for (int i = 0; i < 10; i++) {
            l[i] = Math.pow(10, -2 + 4.0 * i / 9);
        }
        return l;
    }

    /** {@code function} at {@code x}. */
    static double value(String function, double[] x) {
        if (function.equals("rosenbrock")) {
            double a = 1 - x[0];
            double b = x[1] - x[0] * x[0];
            return a * a + 100 * b * b;
        }
        double[] l = curvatures();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += l[i] * x[i] * x[i];
        }
        return 0.5 * s;
    }

    /** The exact gradient of {@code function} at {@code x}. */
    static double[] gradient(String function, double[] x) {
        if (function.equals("rosenbrock")) {
            double b = x[1] - x[0] * x[0];
            return new double[] {-2 * (1 - x[0]) - 400 * x[0] * b, 200 * b};
        }
        double[] l = curvatures();
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            g[i] = l[i] * x[i];
        }
        return g;
    }

    /** Runs optimizer {@code entry} with {@code options} for {@code steps} steps; the points of steps 0 to N. */
    static List<Point> run(Optimizers.Entry entry, Map<String, String> options, String function, int steps) {
        return run(entry, options, function, steps, 0, new Rng(0));
    }

    /**
     * As {@link #run(Optimizers.Entry, Map, String, int)}, with N(0, noise²) added to each gradient coordinate,
     * drawn from {@code rng} (nothing is drawn when {@code noise} is 0).
     */
    static List<Point> run(Optimizers.Entry entry, Map<String, String> options, String function, int steps,
            double noise, Rng rng) {
        double[] x0 = start(function);
        Variable x = Variable.parameter(Tensor.of(x0.clone(), x0.length));
        Optimizer opt = entry.create(Map.of("x", x), options);
        List<Point> points = new ArrayList<>();
        double[] now = x.value().toDoubleArray();
        points.add(new Point(0, value(function, now), now));
        for (int t = 1; t <= steps; t++) {
            if (opt instanceof Koala koala) {
                koala.step(() -> {
                    double[] at = x.value().toDoubleArray();
                    x.setGrad(Tensor.of(noisy(gradient(function, at), noise, rng), at.length));
                    double f = value(function, at);
                    return new Koala.Loss(f, f * f);
                });
            } else {
                x.setGrad(Tensor.of(noisy(gradient(function, now), noise, rng), now.length));
                opt.step();
            }
            now = x.value().toDoubleArray();
            points.add(new Point(t, value(function, now), now));
        }
        return points;
    }

    /** {@code g} with N(0, noise²) added to each coordinate, in place. */
    private static double[] noisy(double[] g, double noise, Rng rng) {
        if (noise > 0) {
            for (int i = 0; i < g.length; i++) {
                g[i] += noise * rng.nextGaussian();
            }
        }
        return g;
    }
}
