package dev.descent.examples.programs;

import dev.descent.autograd.Variable;
import dev.descent.nn.NormPosition;
import dev.descent.nn.TransformerLM;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.CharVocabulary;
import dev.descent.nn.data.Example;
import dev.descent.nn.data.TextWindows;
import dev.descent.nn.functional.F;
import dev.descent.optim.Adam;
import dev.descent.optim.GradInit;
import dev.descent.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * GradInit (Zhu et al., NeurIPS 2021) on a Post-LN character Transformer that is then trained with Adam at a large
 * learning rate and no warmup: the same model trained from its default initialisation and from GradInit's rescaled
 * one, side by side. Arguments: {@code [steps [gradinit-iterations]] [--seed S]} (defaults 200, 100
 * and 0).
 */
public final class GradInitPostLn {
    private static final int CONTEXT = 32;
    private static final String TEXT = Bundled.tinyShakespeare().substring(0, 200_000);
    private static final CharVocabulary VOCAB = CharVocabulary.of(TEXT);
    private static final TextWindows WINDOWS = TextWindows.of(TEXT, VOCAB, CONTEXT);

    private GradInitPostLn() {
    }

    public static void main(String[] args) {
        ExampleArgs cli = ExampleArgs.parse(args);
        int steps = cli.intAt(0, 200);
        int iterations = cli.intAt(1, 100);
        double lr = 1e-2; // large for a Post-LN Transformer without warmup
        TransformerLM plain = model(cli.rng(5));
        TransformerLM rescaled = model(cli.rng(5)); // the same initial weights

        GradInit gradInit = new GradInit(rescaled.namedParameters(), new GradInit.Options()
                .gradinitAlg(GradInit.Alg.ADAM).gradinitEta(lr).gradinitIters(iterations).gradinitLr(2.5e-2)
                .gradinitBeta2(0.98).gradinitMinScale(0.01).gradinitMaxScale(100).seed(cli.seed(1)));
        GradInit.Result result = gradInit.run(GradInit.Loss.averaging(b -> loss(rescaled, b)),
                GradInitPostLn::sample);
        System.out.println("GradInit scales (per tensor):");
        result.scales().forEach((name, scale) -> System.out.printf(Locale.ROOT, "  %-32s %.3f%n", name, scale));

        Adam a = new Adam(plain.namedParameters(), lr);
        Adam b = new Adam(rescaled.namedParameters(), lr);
        Rng data = cli.rng(7);
        System.out.printf(Locale.ROOT, "%6s %14s %14s%n", "step", "default init", "GradInit");
        double sumA = 0;
        double sumB = 0;
        for (int step = 1; step <= steps; step++) {
            Batch batch = sample(data);
            sumA += trainStep(plain, a, batch);
            sumB += trainStep(rescaled, b, batch);
            if (step % 25 == 0) {
                System.out.printf(Locale.ROOT, "%6d %14.4f %14.4f%n", step, sumA / 25, sumB / 25);
                sumA = 0;
                sumB = 0;
            }
        }
    }

    private static TransformerLM model(Rng rng) {
        return new TransformerLM(TransformerLM.Config.builder(VOCAB.size(), CONTEXT, 64, 4, 4).dimFeedforward(128)
                .dropout(0.0).normPosition(NormPosition.POST).build(), rng);
    }

    private static Batch sample(Rng rng) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            examples.add(WINDOWS.get(rng.nextInt(WINDOWS.size())));
        }
        return Batch.collate(examples);
    }

    private static Variable loss(TransformerLM lm, Batch b) {
        return F.crossEntropy(lm.forward(b.inputs()).reshape(-1, VOCAB.size()), b.targets().reshape(-1));
    }

    private static double trainStep(TransformerLM lm, Adam adam, Batch batch) {
        adam.zeroGrad();
        Variable l = loss(lm, batch);
        l.backward();
        adam.step();
        return l.item();
    }
}
