package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.DoublePredicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The registry of optimizers by name: each {@link Entry} gives the optimizer's hyperparameters as its reference
 * implementation names them, their defaults (the class's own {@code DEFAULTS}), what each accepts, and the
 * reference (paper and code, as spec/optimizers.md names them); {@link #create} builds one from textual values.
 *
 * <p>Names and formats are the reference's: torch.optim's keyword names for torch's classes
 * ({@code betas=0.9,0.999} sets {@code beta1} and {@code beta2}, {@code amsgrad=true}, {@code lr=1e-3}), the
 * official code's otherwise ({@code betas=0.98,0.92,0.99} for Adan, {@code eps=1e-30,1e-3} for Adafactor);
 * {@code None} where the reference accepts it. Options that Descent adds and the reference lacks (for example
 * OfficialRAdam's {@code threshold}) go by Descent's name. Flags read {@code true}/{@code false} (or
 * {@code 1}/{@code 0}, any case).
 *
 * <p>Errors name what is wrong: an unknown optimizer lists the known names; an unknown hyperparameter names the
 * key and lists the known ones; an unreadable or out-of-range value names the key, the value and what is allowed.
 * Constraints between hyperparameters (SGD's Nesterov, Adafactor's lr with relative steps) are left to the
 * optimizer's own validation, whose message is passed on.
 */
public final class Optimizers {
    private Optimizers() {
    }

    /** The paper and the code an optimizer follows, and the section of spec/optimizers.md. */
    public record Reference(String paper, String code, String spec) {
    }

    /** What values a Descent hyperparameter accepts: a description and the test, and whether None (NaN) is allowed. */
    public record Domain(String allowed, DoublePredicate test, boolean none, boolean flag) {
        /** Whether {@code v} is acceptable. */
        public boolean accepts(double v) {
            return Double.isNaN(v) ? none : test.test(v);
        }

        /** The allowed values, written for hyperparameter {@code key}. */
        public String allowedFor(String key) {
            return allowed.replace("X", key);
        }
    }

    private static final Domain NONNEG = new Domain("X >= 0", v -> v >= 0, false, false);
    private static final Domain BETA = new Domain("0 <= X < 1", v -> v >= 0 && v < 1, false, false);
    private static final Domain UNIT = new Domain("0 <= X <= 1", v -> v >= 0 && v <= 1, false, false);
    private static final Domain NUMBER = new Domain("any number", v -> true, false, false);
    private static final Domain FLAG = new Domain("true or false", v -> v == 0 || v == 1, false, true);
    private static final Domain REQUIRED = new Domain("X >= 0 (required: no default)", v -> v >= 0, false, false);
    private static final Domain NONE_OR_NONNEG = new Domain("None or X >= 0", v -> v >= 0, true, false);
    private static final Domain NONE_OR_UNIT = new Domain("None or 0 <= X <= 1", v -> v >= 0 && v <= 1, true, false);
    private static final Domain NONPOSITIVE = new Domain("X <= 0", v -> v <= 0, false, false);
    private static final Domain POSITIVE = new Domain("X > 0", v -> v > 0, false, false);

    /**
     * One hyperparameter as the reference names it: {@code name} sets the Descent hyperparameters {@code keys}
     * (one, or several for a tuple such as {@code betas}), each accepting the values of its {@link Domain}.
     */
    public record Hyperparameter(String name, List<String> keys, List<Domain> domains) {
        /** Whether the reference writes this as a tuple of values. */
        public boolean tuple() {
            return keys.size() > 1;
        }

        /** What each element accepts, in words. */
        public String allowed() {
            if (!tuple()) {
                return domains.get(0).allowedFor(name);
            }
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                parts.add(domains.get(i).allowedFor(keys.get(i)));
            }
            return keys.size() + " comma-separated values " + String.join(", ", keys) + ": " + String.join("; ", parts);
        }

        /** This hyperparameter's value among Descent's {@code values}, in the reference's format. */
        public String format(Map<String, Double> values) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                parts.add(formatValue(values.get(keys.get(i)), domains.get(i)));
            }
            return String.join(",", parts);
        }

        /** This hyperparameter's value as a JSON-friendly object: a Double, a Boolean, null (None), or a list. */
        public Object json(Map<String, Double> values) {
            if (!tuple()) {
                return jsonValue(values.get(keys.get(0)), domains.get(0));
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                out.add(jsonValue(values.get(keys.get(i)), domains.get(i)));
            }
            return out;
        }
    }

    /**
     * One registered optimizer: its name, class, hyperparameters (reference names), defaults (the class's own map,
     * keyed by Descent's names) and reference.
     */
    public static final class Entry {
        private final String name;
        private final Class<? extends Optimizer> type;
        private final Map<String, Double> defaults;
        private final List<Hyperparameter> hyperparameters;
        private final Reference reference;
        private final BiFunction<Map<String, Variable>, Map<String, Double>, Optimizer> factory;

        private Entry(String name, Class<? extends Optimizer> type, Map<String, Double> defaults,
                List<Hyperparameter> hyperparameters, Reference reference,
                BiFunction<Map<String, Variable>, Map<String, Double>, Optimizer> factory) {
            this.name = name;
            this.type = type;
            this.defaults = defaults;
            this.hyperparameters = List.copyOf(hyperparameters);
            this.reference = reference;
            this.factory = factory;
        }

        /** The registry name ({@code "Adam"}, {@code "AdafactorTorch"}, {@code "KoalaV"}, ...). */
        public String name() {
            return name;
        }

        /** The class this entry builds. */
        public Class<? extends Optimizer> type() {
            return type;
        }

        /** The defaults by Descent's hyperparameter name: the class's {@code DEFAULTS} (and settings, for KOALA). */
        public Map<String, Double> defaults() {
            return defaults;
        }

        /** The hyperparameters as the reference names them, in the reference's order. */
        public List<Hyperparameter> hyperparameters() {
            return hyperparameters;
        }

        /** The paper and code this optimizer follows. */
        public Reference reference() {
            return reference;
        }

        /** The reference names of the hyperparameters. */
        public List<String> names() {
            return hyperparameters.stream().map(Hyperparameter::name).toList();
        }

        /** The hyperparameter called {@code referenceName}, or null. */
        public @Nullable Hyperparameter hyperparameter(String referenceName) {
            for (Hyperparameter h : hyperparameters) {
                if (h.name().equals(referenceName)) {
                    return h;
                }
            }
            return null;
        }

        /**
         * Every Descent hyperparameter in force when {@code options} (reference name to textual value) are given:
         * the defaults overridden by the parsed options, checked value by value and then by the optimizer's own
         * validation. Fails with an {@link IllegalArgumentException} naming what is wrong.
         */
        public Map<String, Double> resolve(Map<String, String> options) {
            Map<String, Double> values = new LinkedHashMap<>(defaults);
            for (Map.Entry<String, String> o : options.entrySet()) {
                Hyperparameter h = hyperparameter(o.getKey());
                if (h == null) {
                    throw new IllegalArgumentException(name + ": unknown hyperparameter '" + o.getKey() + "' (known: "
                            + String.join(", ", names()) + ")");
                }
                double[] parsed = parse(h, o.getValue());
                for (int i = 0; i < parsed.length; i++) {
                    values.put(h.keys().get(i), parsed[i]);
                }
            }
            // the optimizer's own validation, on a probe parameter, for constraints between hyperparameters
            factory.apply(Map.of("probe", Variable.parameter(Tensor.of(new double[] {0.0}, 1))), values);
            return values;
        }

        /** Builds this optimizer over one group of {@code params} with the options given (reference names). */
        public Optimizer create(Map<String, Variable> params, Map<String, String> options) {
            return factory.apply(params, resolve(options));
        }

        /** The hyperparameters in force, by reference name, as {@link Hyperparameter#json} values. */
        public Map<String, Object> inForce(Map<String, Double> values) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Hyperparameter h : hyperparameters) {
                out.put(h.name(), h.json(values));
            }
            return out;
        }

        /** The hyperparameters in force written as {@code key=value} in the reference's formats. */
        public String format(Map<String, Double> values) {
            return hyperparameters.stream().map(h -> h.name() + "=" + h.format(values)).collect(Collectors.joining(" "));
        }

        private double[] parse(Hyperparameter h, String text) {
            String t = text.trim();
            if (h.tuple() && t.length() >= 2 && (t.startsWith("(") && t.endsWith(")") || t.startsWith("[") && t.endsWith("]"))) {
                t = t.substring(1, t.length() - 1);
            }
            String[] parts = t.split(",", -1);
            if (parts.length != h.keys().size()) {
                throw new IllegalArgumentException(name + ": cannot read " + h.name() + "=" + text + " (expected "
                        + (h.tuple() ? h.keys().size() + " comma-separated values, as " + h.name() + "="
                                + h.format(defaults) : "one value") + "; allowed: " + h.allowed() + ")");
            }
            double[] out = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                Domain d = h.domains().get(i);
                String key = h.keys().get(i);
                String where = h.tuple() ? " (" + key + ", element " + (i + 1) + " of " + h.name() + ")" : "";
                Double v = readValue(parts[i].trim(), d);
                if (v == null) {
                    throw new IllegalArgumentException(name + ": cannot read " + h.name() + "=" + text + ": '"
                            + parts[i].trim() + "'" + where + " is not " + (d.flag() ? "a flag" : "a number")
                            + " (allowed: " + d.allowedFor(key) + ")");
                }
                if (!d.accepts(v)) {
                    throw new IllegalArgumentException(name + ": " + h.name() + "=" + text + " is out of range: "
                            + (h.tuple() ? key + " = " : "") + formatValue(v, d) + " (allowed: " + d.allowedFor(key)
                            + ")");
                }
                out[i] = v;
            }
            return out;
        }
    }

    private static final Pattern NUMBER_TEXT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** A textual value in the reference's format, or null when unreadable. */
    private static @Nullable Double readValue(String s, Domain d) {
        String l = s.toLowerCase(Locale.ROOT);
        if (d.flag()) {
            return switch (l) {
                case "true", "1", "1.0" -> 1.0;
                case "false", "0", "0.0" -> 0.0;
                default -> null;
            };
        }
        if (l.equals("none") || l.equals("null")) {
            return Double.NaN;
        }
        if (l.equals("inf") || l.equals("+inf") || l.equals("infinity") || l.equals("+infinity")) {
            return Double.POSITIVE_INFINITY;
        }
        if (l.equals("-inf") || l.equals("-infinity")) {
            return Double.NEGATIVE_INFINITY;
        }
        return NUMBER_TEXT.matcher(s).matches() ? Double.valueOf(s) : null;
    }

    /** {@code v} written as the reference would: a flag as true/false, NaN as None (or "required"), numbers as Python. */
    static String formatValue(double v, Domain d) {
        if (d.flag()) {
            return v != 0 ? "true" : "false";
        }
        if (Double.isNaN(v)) {
            return d == REQUIRED ? "required" : "None";
        }
        return formatNumber(v);
    }

    private static Object jsonValue(double v, Domain d) {
        if (d.flag()) {
            return v != 0;
        }
        return Double.isNaN(v) ? null : (Object) v;
    }

    /** A double as Python's {@code repr} writes it: {@code 0.001}, {@code 1e-08}, {@code 1.0}, {@code inf}. */
    public static String formatNumber(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0.0" : "0.0";
        }
        BigDecimal b = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = b.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - b.scale(); // v = d.ddd × 10^exponent
        String sign = v < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
        }
        String plain = b.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    private static Hyperparameter h(String name, Domain domain) {
        return new Hyperparameter(name, List.of(name), List.of(domain));
    }

    private static Hyperparameter h(String name, String key, Domain domain) {
        return new Hyperparameter(name, List.of(key), List.of(domain));
    }

    private static Hyperparameter tuple(String name, List<String> keys, Domain... domains) {
        return new Hyperparameter(name, keys, List.of(domains));
    }

    private static final Hyperparameter LR = h("lr", NONNEG);
    private static final Hyperparameter LR_REQUIRED = h("lr", REQUIRED);
    private static final Hyperparameter BETAS = tuple("betas", List.of("beta1", "beta2"), BETA, BETA);
    private static final Hyperparameter EPS = h("eps", NONNEG);
    private static final Hyperparameter WD = h("weight_decay", NONNEG);
    private static final Hyperparameter MAXIMIZE = h("maximize", FLAG);

    private static Hyperparameter flag(String name) {
        return h(name, FLAG);
    }

    private static void register(String name, Class<? extends Optimizer> type, Map<String, Double> defaults,
            Reference reference, BiFunction<Map<String, Variable>, Map<String, Double>, Optimizer> factory,
            Hyperparameter... hyperparameters) {
        ENTRIES.put(name, new Entry(name, type, defaults, List.of(hyperparameters), reference, factory));
    }

    private static List<ParamGroup> group(Map<String, Variable> params, Map<String, Double> values) {
        return List.of(new ParamGroup(params, values));
    }

    private static Reference torch(String paper, String file, String section) {
        return new Reference(paper, "pytorch/pytorch torch/optim/" + file, "spec/optimizers.md " + section);
    }

    static {
        register("SGD", SGD.class, SGD.DEFAULTS,
                torch("Sutskever, Martens, Dahl & Hinton, ICML 2013 (momentum; torch keeps lr outside the buffer)",
                        "sgd.py", "§1.1"),
                (p, v) -> new SGD(group(p, v)),
                LR, h("momentum", NONNEG), h("dampening", NUMBER), WD, flag("nesterov"), MAXIMIZE);
        register("Adam", Adam.class, Adam.DEFAULTS,
                torch("Kingma & Ba, ICLR 2015; AMSGrad: Reddi, Kale & Kumar, ICLR 2018", "adam.py", "§1.2"),
                (p, v) -> new Adam(group(p, v)),
                LR, BETAS, EPS, WD, flag("amsgrad"), MAXIMIZE, flag("decoupled_weight_decay"));
        register("AdamW", AdamW.class, AdamW.DEFAULTS,
                torch("Loshchilov & Hutter, ICLR 2019", "adamw.py", "§1.3"),
                (p, v) -> new AdamW(group(p, v)),
                LR, BETAS, EPS, WD, flag("amsgrad"), MAXIMIZE, flag("decoupled_weight_decay"));
        register("Adamax", Adamax.class, Adamax.DEFAULTS,
                torch("Kingma & Ba, ICLR 2015, §7.1", "adamax.py", "§1.4"),
                (p, v) -> new Adamax(group(p, v)),
                LR, BETAS, EPS, WD, MAXIMIZE);
        register("RMSprop", RMSprop.class, RMSprop.DEFAULTS,
                torch("Tieleman & Hinton, Coursera lecture 6.5, 2012; centered: Graves, arXiv:1308.0850", "rmsprop.py",
                        "§1.5"),
                (p, v) -> new RMSprop(group(p, v)),
                LR, h("alpha", NONNEG), EPS, WD, h("momentum", NONNEG), flag("centered"), MAXIMIZE);
        register("Adagrad", Adagrad.class, Adagrad.DEFAULTS,
                torch("Duchi, Hazan & Singer, JMLR 2011", "adagrad.py", "§1.6"),
                (p, v) -> new Adagrad(group(p, v)),
                LR, h("lr_decay", NONNEG), WD, h("initial_accumulator_value", NONNEG), EPS, MAXIMIZE);
        register("Adadelta", Adadelta.class, Adadelta.DEFAULTS,
                torch("Zeiler, arXiv:1212.5701, 2012", "adadelta.py", "§1.7"),
                (p, v) -> new Adadelta(group(p, v)),
                LR, h("rho", UNIT), EPS, WD, MAXIMIZE);
        register("NAdam", NAdam.class, NAdam.DEFAULTS,
                torch("Dozat, ICLR Workshop 2016", "nadam.py", "§1.8"),
                (p, v) -> new NAdam(group(p, v)),
                LR, BETAS, EPS, WD, h("momentum_decay", NONNEG), flag("decoupled_weight_decay"), MAXIMIZE);
        register("RAdam", RAdam.class, RAdam.DEFAULTS,
                torch("Liu et al., ICLR 2020 (torch's variant, threshold 5)", "radam.py", "§1.9"),
                (p, v) -> new RAdam(group(p, v)),
                LR, BETAS, EPS, WD, flag("decoupled_weight_decay"), MAXIMIZE);
        register("OfficialRAdam", OfficialRAdam.class, OfficialRAdam.DEFAULTS,
                new Reference("Liu et al., ICLR 2020", "LiyuanLucasLiu/RAdam radam/radam.py @ d9fd30a",
                        "spec/optimizers.md §2"),
                (p, v) -> new OfficialRAdam(group(p, v)),
                LR, BETAS, EPS, WD, flag("degenerated_to_sgd"), h("threshold", NUMBER), flag("strict_threshold"),
                flag("step_size_cache"));
        register("AdaBelief", AdaBelief.class, AdaBelief.DEFAULTS,
                new Reference("Zhuang et al., NeurIPS 2020",
                        "juntang-zhuang/Adabelief-Optimizer pypi_packages/adabelief_pytorch0.2.1 AdaBelief.py",
                        "spec/optimizers.md §4"),
                (p, v) -> new AdaBelief(group(p, v)),
                LR, BETAS, EPS, WD, flag("amsgrad"), flag("weight_decouple"), flag("fixed_decay"), flag("rectify"),
                flag("degenerated_to_sgd"), flag("step_size_cache"));
        register("ACProp", ACProp.class, ACProp.DEFAULTS,
                new Reference("Zhuang et al., NeurIPS 2021",
                        "juntang-zhuang/ACProp-Optimizer optimizers/ACProp.py (defaults of the paper's main.py)",
                        "spec/optimizers.md §5"),
                (p, v) -> new ACProp(group(p, v)),
                LR, BETAS, EPS, WD, flag("amsgrad"), flag("weight_decouple"), flag("fixed_decay"), flag("rectify"),
                flag("degenerated_to_sgd"), flag("momentum_update"), flag("step_size_cache"));
        register("DiffGrad", DiffGrad.class, DiffGrad.DEFAULTS,
                new Reference("Dubey et al., IEEE TNNLS 2020", "shivram1987/diffGrad diffGrad_v2.py",
                        "spec/optimizers.md §7"),
                (p, v) -> new DiffGrad(group(p, v)),
                LR, BETAS, EPS, WD, flag("paper_epsilon"));
        register("Adafactor", Adafactor.class, Adafactor.HF_DEFAULTS,
                new Reference("Shazeer & Stern, ICML 2018",
                        "facebookresearch/fairseq fairseq/optim/adafactor.py; huggingface/transformers"
                                + " src/transformers/optimization.py",
                        "spec/optimizers.md §6 (a)"),
                (p, v) -> new Adafactor(group(p, v), Adafactor.Mode.HF),
                h("lr", NONE_OR_NONNEG), tuple("eps", List.of("eps1", "eps2"), NONNEG, NONNEG),
                h("clip_threshold", POSITIVE), h("decay_rate", NONPOSITIVE), h("beta1", NONE_OR_UNIT), WD,
                flag("scale_parameter"), flag("relative_step"), flag("warmup_init"));
        register("AdafactorTorch", Adafactor.class, Adafactor.TORCH_DEFAULTS,
                new Reference("Shazeer & Stern, ICML 2018", "pytorch/pytorch torch/optim/_adafactor.py",
                        "spec/optimizers.md §6 (b)"),
                (p, v) -> new Adafactor(group(p, v), Adafactor.Mode.TORCH),
                LR, h("beta2_decay", NONPOSITIVE), tuple("eps", List.of("eps1", "eps2"), NONE_OR_NONNEG, NONNEG),
                h("d", new Domain("X >= 1", x -> x >= 1, false, false)), WD, MAXIMIZE);
        register("Adan", Adan.class, Adan.DEFAULTS,
                new Reference("Xie, Zhou, Li, Lin & Yan, TPAMI 2024 (arXiv:2208.06677); betas are the code's, 1 − the"
                        + " paper's", "sail-sg/Adan adan.py", "spec/optimizers.md §8"),
                (p, v) -> new Adan(group(p, v)),
                LR, tuple("betas", List.of("beta1", "beta2", "beta3"), BETA, BETA, BETA), EPS, WD,
                h("max_grad_norm", NONNEG), flag("no_prox"));
        register("PNM", PNM.class, PNM.DEFAULTS,
                new Reference("Xie, Yuan, Zhu & Sugiyama, ICML 2021", "zeke-xie/Positive-Negative-Momentum"
                        + " pnm_optim/pnm.py", "spec/optimizers.md §9"),
                (p, v) -> new PNM(group(p, v)),
                LR_REQUIRED, tuple("betas", List.of("beta1", "beta0"), BETA, NONNEG), WD, flag("decoupled"));
        register("AdaPNM", AdaPNM.class, AdaPNM.DEFAULTS,
                new Reference("Xie, Yuan, Zhu & Sugiyama, ICML 2021", "zeke-xie/Positive-Negative-Momentum"
                        + " pnm_optim/adapnm.py", "spec/optimizers.md §9"),
                (p, v) -> new AdaPNM(group(p, v)),
                LR, tuple("betas", List.of("beta1", "beta2", "beta0"), BETA, BETA, NONNEG), EPS, WD, flag("amsgrad"),
                flag("decoupled"));
        register("SignSGD", SignSGD.class, SignSGD.DEFAULTS,
                new Reference("Bernstein, Wang, Azizzadenesheli & Anandkumar, ICML 2018",
                        "no official code; defaults of kozistr/pytorch_optimizer SignSGD", "spec/optimizers.md §11"),
                (p, v) -> new SignSGD(group(p, v)),
                LR, WD, flag("decoupled"), MAXIMIZE);
        register("Signum", Signum.class, Signum.DEFAULTS,
                new Reference("Bernstein, Wang, Azizzadenesheli & Anandkumar, ICML 2018",
                        "no official code; google-deepmind/optax signum", "spec/optimizers.md §11"),
                (p, v) -> new Signum(group(p, v)),
                LR, h("beta", BETA), WD, flag("decoupled"), MAXIMIZE);
        register("GeneralizedSignSGD", GeneralizedSignSGD.class, GeneralizedSignSGD.DEFAULTS,
                new Reference("Crawshaw, Liu, Orabona, Zhang & Zhuang, NeurIPS 2022",
                        "zhenxun-zhuang/Generalized-SignSGD cifar10/generalized_signsgd.py", "spec/optimizers.md §11"),
                (p, v) -> new GeneralizedSignSGD(group(p, v)),
                LR, BETAS, EPS, WD, flag("use_bias_correction"));
        register("PadamW", PadamW.class, PadamW.DEFAULTS,
                new Reference("Chen & Gu, Padam (arXiv:1806.06763); Granziol, Wan et al., Gadam/GadamX",
                        "diegogranziol/Gadam base_optimizers/padam.py", "spec/optimizers.md §12"),
                (p, v) -> new PadamW(group(p, v)),
                LR, BETAS, EPS, WD, flag("amsgrad"), h("partial", new Domain("0 <= X <= 0.5", x -> x >= 0 && x <= 0.5,
                        false, false)), flag("decoupled_weight_decay"));
        register("LARS", LARS.class, LARS.DEFAULTS,
                new Reference("You, Gitman & Ginsburg, arXiv:1708.03888, 2017, Algorithm 1",
                        "none: the paper's algorithm (not in spec/optimizers.md)", "-"),
                (p, v) -> new LARS(group(p, v)),
                LR_REQUIRED, h("momentum", BETA), WD, h("trust_coefficient", NONNEG), EPS, flag("adapt"));
        register("LAMB", LAMB.class, LAMB.DEFAULTS,
                new Reference("You et al., ICLR 2020, Algorithm 2",
                        "none: the paper's algorithm (not in spec/optimizers.md)", "-"),
                (p, v) -> new LAMB(group(p, v)),
                LR, BETAS, EPS, WD, flag("bias_correction"), h("phi_lower", NONNEG), h("phi_upper", NONNEG));
        register("KoalaV", Koala.Vanilla.class, koalaDefaults(Koala.Vanilla.SETTINGS),
                new Reference("Davtyan, Sameni, Cerkezi, Meishvili, Bielski & Favaro, AAAI 2022 (KOALA-V)",
                        "Araachie/koala koala.py VanillaKOALA", "spec/optimizers.md §10"),
                (p, v) -> new Koala.Vanilla(koalaGroup(p, v), koalaSettings(v, Koala.Vanilla.SETTINGS)),
                LR, WD, h("sigma", NONNEG), h("q", NONNEG), h("r", NONE_OR_NONNEG), h("alpha_r", UNIT));
        register("KoalaM", Koala.Momentum.class, koalaDefaults(Koala.Momentum.SETTINGS),
                new Reference("Davtyan, Sameni, Cerkezi, Meishvili, Bielski & Favaro, AAAI 2022 (KOALA-M)",
                        "Araachie/koala koala.py MomentumKOALA", "spec/optimizers.md §10"),
                (p, v) -> new Koala.Momentum(koalaGroup(p, v), koalaSettings(v, Koala.Momentum.SETTINGS)),
                LR, WD, h("sw", NONNEG), h("sc", NUMBER), h("sv", NONNEG), h("a", NUMBER), h("qw", NONNEG),
                h("qv", NONNEG), h("r", NONE_OR_NONNEG), h("alpha_r", UNIT));
        Hyperparameter blockSize = h("block_size", POSITIVE);
        Hyperparameter min8bit = h("min_8bit_size", NONNEG);
        registerEightBit("Adam8bit", "Adam8bit", LR, BETAS, EPS, WD, blockSize, min8bit);
        registerEightBit("AdamW8bit", "AdamW8bit", LR, BETAS, EPS, WD, blockSize, min8bit);
        registerEightBit("Momentum8bit", "SGD8bit", LR, h("momentum", NONNEG), WD, blockSize, min8bit);
    }

    /**
     * The 8-bit optimizers of {@code dev.descent.optim.eightbit} (spec §13), found by name so that this package does
     * not depend on that one (which depends on this); skipped while absent.
     */
    private static void registerEightBit(String name, String bnbName, Hyperparameter... hyperparameters) {
        try {
            Class<? extends Optimizer> type = Class.forName("dev.descent.optim.eightbit." + name)
                    .asSubclass(Optimizer.class);
            @SuppressWarnings("unchecked")
            Map<String, Double> defaults = (Map<String, Double>) type.getField("DEFAULTS").get(null);
            Constructor<? extends Optimizer> ctor = type.getConstructor(List.class, Set.class);
            register(name, type, defaults, new Reference("Dettmers, Lewis, Shleifer & Zettlemoyer, ICLR 2022",
                    "bitsandbytes-foundation/bitsandbytes bitsandbytes/optim " + bnbName, "spec/optimizers.md §13"),
                    (p, v) -> {
                        try {
                            return ctor.newInstance(group(p, v), Set.of());
                        } catch (InvocationTargetException e) {
                            if (e.getCause() instanceof RuntimeException r) {
                                throw r;
                            }
                            throw new IllegalStateException(e.getCause());
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException(e);
                        }
                    }, hyperparameters);
        } catch (ReflectiveOperationException | ClassCastException e) {
            // not in this build
        }
    }

    private static Map<String, Double> koalaDefaults(Map<String, Double> settings) {
        Map<String, Double> all = new LinkedHashMap<>(Koala.DEFAULTS);
        all.putAll(settings);
        return Collections.unmodifiableMap(all);
    }

    private static List<ParamGroup> koalaGroup(Map<String, Variable> params, Map<String, Double> values) {
        Map<String, Double> g = new LinkedHashMap<>();
        Koala.DEFAULTS.keySet().forEach(k -> g.put(k, values.get(k)));
        return group(params, g);
    }

    private static Map<String, Double> koalaSettings(Map<String, Double> values, Map<String, Double> settings) {
        Map<String, Double> s = new LinkedHashMap<>();
        settings.keySet().forEach(k -> s.put(k, values.get(k)));
        return s;
    }

    /** Every registered optimizer, in the order of the issue (torch.optim's first). */
    public static List<Entry> all() {
        return List.copyOf(ENTRIES.values());
    }

    /** The registry names, in order. */
    public static List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }

    /**
     * The optimizer called {@code name}, matched ignoring case, {@code -} and {@code _} ({@code koala-v} is
     * {@code KoalaV}); fails listing the known names.
     */
    public static Entry get(String name) {
        String wanted = normalise(name);
        for (Entry e : ENTRIES.values()) {
            if (normalise(e.name()).equals(wanted)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + name + "' (known: " + String.join(", ", names()) + ")");
    }

    /**
     * Builds optimizer {@code name} over one group of {@code params} from {@code options}, reference names to
     * textual values in the reference's format ({@code "betas" → "0.9,0.999"}); see {@link Entry#resolve}.
     */
    public static Optimizer create(String name, Map<String, Variable> params, Map<String, String> options) {
        return get(name).create(params, options);
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
