package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The optimizer registry: complete, faithful to each class's defaults, parsing reference formats, clear errors. */
class OptimizerRegistryTest {
    private static Map<String, Variable> params() {
        return Map.of("w", Variable.parameter(Tensor.of(new double[] {1, -2}, 2)));
    }

    /** Every concrete public Optimizer class in dev.descent.optim and its subpackages, found on disk. */
    private static List<Class<?>> scanOptimizerClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Optimizer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path pkg = root.resolve("dev/descent/optim");
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(pkg)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('\\', '/').replace('/', '.');
                name = name.substring(0, name.length() - ".class".length());
                if (name.matches(".*\\$\\d+.*") || name.endsWith("package-info")) {
                    continue; // anonymous classes and package docs
                }
                Class<?> c = Class.forName(name, false, Optimizer.class.getClassLoader());
                if (Optimizer.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())
                        && Modifier.isPublic(c.getModifiers()) && !OptimizerWrapper.class.isAssignableFrom(c)) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    @Test
    void listsEveryOptimizerClassFoundByScanning() throws Exception {
        List<Class<?>> classes = scanOptimizerClasses();
        assertTrue(classes.size() >= 24, "scan found only " + classes);
        Set<Class<?>> registered = new HashSet<>();
        Optimizers.all().forEach(e -> registered.add(e.type()));
        for (Class<?> c : classes) {
            assertTrue(registered.contains(c), c.getName() + " has no entry in Optimizers");
        }
    }

    @Test
    void namesAreUniqueAndCoverBothAdafactorModes() {
        List<String> names = Optimizers.names();
        assertEquals(new HashSet<>(names).size(), names.size());
        assertTrue(names.containsAll(List.of("SGD", "Adam", "AdamW", "Adamax", "RMSprop", "Adagrad", "Adadelta", "NAdam",
                "RAdam", "OfficialRAdam", "AdaBelief", "ACProp", "DiffGrad", "Adafactor", "AdafactorTorch", "Adan", "PNM",
                "AdaPNM", "SignSGD", "Signum", "GeneralizedSignSGD", "PadamW", "LARS", "LAMB", "KoalaV", "KoalaM")), names.toString());
        assertEquals(Adafactor.Mode.HF, ((Adafactor) Optimizers.create("Adafactor", params(), Map.of())).mode());
        assertEquals(Adafactor.Mode.TORCH, ((Adafactor) Optimizers.create("AdafactorTorch", params(), Map.of())).mode());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> classDefaults(Optimizers.Entry e) throws ReflectiveOperationException {
        if (e.name().equals("Adafactor")) {
            return Adafactor.HF_DEFAULTS;
        }
        if (e.name().equals("AdafactorTorch")) {
            return Adafactor.TORCH_DEFAULTS;
        }
        Field f = e.type().getField("DEFAULTS");
        Map<String, Double> d = new LinkedHashMap<>((Map<String, Double>) f.get(null));
        if (Koala.class.isAssignableFrom(e.type())) {
            d.putAll((Map<String, Double>) e.type().getField("SETTINGS").get(null));
        }
        return d;
    }

    @Test
    void defaultsAreEachClassesDefaultsAndEveryKeyHasAReferenceName() throws Exception {
        for (Optimizers.Entry e : Optimizers.all()) {
            Map<String, Double> expected = classDefaults(e);
            assertEquals(expected, e.defaults(), e.name());
            Set<String> covered = new HashSet<>();
            e.hyperparameters().forEach(h -> covered.addAll(h.keys()));
            assertEquals(expected.keySet(), covered, e.name() + ": hyperparameters without a reference name or vice versa");
            assertFalse(e.reference().paper().isBlank(), e.name());
            assertFalse(e.reference().code().isBlank(), e.name());
        }
    }

    @Test
    void everyOptimizerBuildsWithItsDefaultsOrSaysWhatIsRequired() {
        for (Optimizers.Entry e : Optimizers.all()) {
            Map<String, String> options = e.defaults().containsKey("lr") && Double.isNaN(e.defaults().get("lr"))
                    && !e.name().equals("Adafactor") ? Map.of("lr", "0.1") : Map.of();
            Optimizer o = e.create(params(), options);
            assertInstanceOf(e.type(), o, e.name());
        }
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create("LARS", params(), Map.of()));
        assertTrue(ex.getMessage().contains("lr is required"), ex.getMessage());
    }

    @Test
    void parsesTorchFormats() {
        Optimizers.Entry adam = Optimizers.get("Adam");
        Map<String, Double> v = adam.resolve(Map.of("lr", "1e-2", "betas", "0.8,0.99", "amsgrad", "true",
                "maximize", "False", "eps", "(1e-6)".replace("(", "").replace(")", "")));
        assertEquals(1e-2, v.get("lr"));
        assertEquals(0.8, v.get("beta1"));
        assertEquals(0.99, v.get("beta2"));
        assertEquals(1.0, v.get("amsgrad"));
        assertEquals(0.0, v.get("maximize"));
        assertEquals(1e-6, v.get("eps"));
        assertEquals(0.0, v.get("weight_decay"));
        assertEquals(0.5, adam.resolve(Map.of("betas", "(0.5, 0.6)")).get("beta1"));
        Adam built = (Adam) Optimizers.create("adam", params(), Map.of("betas", "0.8,0.99", "amsgrad", "1"));
        assertEquals(0.8, built.paramGroups().get(0).get("beta1"));
        assertEquals(1.0, built.paramGroups().get(0).get("amsgrad"));
        assertSame(Optimizers.get("KoalaV"), Optimizers.get("koala-v"));
    }

    @Test
    void parsesOfficialCodeFormats() {
        Map<String, Double> adan = Optimizers.get("Adan").resolve(Map.of("betas", "0.9,0.8,0.7", "no_prox", "true"));
        assertEquals(List.of(0.9, 0.8, 0.7), List.of(adan.get("beta1"), adan.get("beta2"), adan.get("beta3")));
        Map<String, Double> pnm = Optimizers.get("PNM").resolve(Map.of("lr", "0.1", "betas", "0.9,2"));
        assertEquals(2.0, pnm.get("beta0"));
        Map<String, Double> hf = Optimizers.get("Adafactor").resolve(Map.of("eps", "1e-20,1e-2", "beta1", "0.9",
                "relative_step", "false", "lr", "1e-3"));
        assertEquals(1e-20, hf.get("eps1"));
        assertEquals(1e-2, hf.get("eps2"));
        assertEquals(0.9, hf.get("beta1"));
        assertTrue(Double.isNaN(Optimizers.get("AdafactorTorch").resolve(Map.of("eps", "None,1e-3")).get("eps1")));
        assertEquals(Double.POSITIVE_INFINITY, Optimizers.get("LAMB").resolve(Map.of("phi_upper", "inf")).get("phi_upper"));
        Koala.Momentum km = (Koala.Momentum) Optimizers.create("KoalaM", params(), Map.of("a", "0.5", "r", "2",
                "lr", "0.3"));
        assertEquals(0.5, km.setting("a"));
        assertEquals(2.0, km.measurementNoise());
        assertEquals(0.3, km.paramGroups().get(0).get("lr"));
    }

    @Test
    void writesValuesInTheReferenceFormat() {
        Optimizers.Entry adam = Optimizers.get("Adam");
        assertEquals("lr=0.001 betas=0.9,0.999 eps=1e-08 weight_decay=0.0 amsgrad=false maximize=false"
                + " decoupled_weight_decay=false", adam.format(adam.defaults()));
        Map<String, Object> json = adam.inForce(adam.defaults());
        assertEquals(List.of(0.9, 0.999), json.get("betas"));
        assertEquals(false, json.get("amsgrad"));
        Optimizers.Entry hf = Optimizers.get("Adafactor");
        assertNull(hf.inForce(hf.defaults()).get("lr"));
        assertTrue(hf.format(hf.defaults()).startsWith("lr=None eps=1e-30,0.001 "), hf.format(hf.defaults()));
        assertTrue(Optimizers.get("PNM").format(PNM.DEFAULTS).startsWith("lr=required "));
        assertEquals("1e-16", Optimizers.formatNumber(1e-16));
        assertEquals("100.0", Optimizers.formatNumber(100));
        assertEquals("-2.5e+16", Optimizers.formatNumber(-2.5e16));
        assertEquals("0.0001", Optimizers.formatNumber(1e-4));
    }

    private static String error(String name, Map<String, String> options) {
        return assertThrows(IllegalArgumentException.class, () -> Optimizers.create(name, params(), options)).getMessage();
    }

    @Test
    void unknownOptimizerListsTheKnownNames() {
        String m = error("Adamm", Map.of());
        assertTrue(m.startsWith("unknown optimizer 'Adamm' (known: SGD, Adam, AdamW"), m);
        assertTrue(m.contains("KoalaM"), m);
    }

    @Test
    void unknownHyperparameterNamesTheKeyAndListsTheKnownOnes() {
        assertEquals("Adam: unknown hyperparameter 'beta1' (known: lr, betas, eps, weight_decay, amsgrad, maximize,"
                + " decoupled_weight_decay)", error("Adam", Map.of("beta1", "0.9")));
    }

    @Test
    void outOfRangeNamesTheKeyTheValueAndWhatIsAllowed() {
        assertEquals("Adam: lr=-1 is out of range: -1.0 (allowed: lr >= 0)", error("Adam", Map.of("lr", "-1")));
        assertEquals("Adam: betas=0.9,1.5 is out of range: beta2 = 1.5 (allowed: 0 <= beta2 < 1)",
                error("Adam", Map.of("betas", "0.9,1.5")));
        assertEquals("Adadelta: rho=2 is out of range: 2.0 (allowed: 0 <= rho <= 1)", error("Adadelta", Map.of("rho", "2")));
        assertEquals("Adam: lr=None is out of range: None (allowed: lr >= 0)", error("Adam", Map.of("lr", "None")));
        // constraints between hyperparameters: the optimizer's own validation
        String nesterov = error("SGD", Map.of("nesterov", "true"));
        assertTrue(nesterov.startsWith("SGD: Nesterov momentum requires momentum > 0"), nesterov);
        String adafactor = error("Adafactor", Map.of("lr", "0.1"));
        assertTrue(adafactor.startsWith("Adafactor: invalid lr 0.1"), adafactor);
    }

    @Test
    void unreadableValuesSayWhatIsExpected() {
        assertEquals("Adam: cannot read betas=0.9 (expected 2 comma-separated values, as betas=0.9,0.999; allowed: 2"
                + " comma-separated values beta1, beta2: 0 <= beta1 < 1; 0 <= beta2 < 1)", error("Adam", Map.of("betas", "0.9")));
        assertEquals("Adam: cannot read amsgrad=yes: 'yes' is not a flag (allowed: true or false)",
                error("Adam", Map.of("amsgrad", "yes")));
        assertEquals("Adam: cannot read lr=1e-3f: '1e-3f' is not a number (allowed: lr >= 0)",
                error("Adam", Map.of("lr", "1e-3f")));
        assertEquals("Adan: cannot read betas=0.9,x,0.9: 'x' (beta2, element 2 of betas) is not a number"
                + " (allowed: 0 <= beta2 < 1)", error("Adan", Map.of("betas", "0.9,x,0.9")));
    }
}
