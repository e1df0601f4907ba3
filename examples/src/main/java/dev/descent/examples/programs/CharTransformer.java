package dev.descent.examples.programs;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.nn.NormPosition;
import dev.descent.nn.TransformerLM;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.CharVocabulary;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.TextWindows;
import dev.descent.nn.functional.F;
import dev.descent.optim.AdamW;
import dev.descent.optim.Clipping;
import dev.descent.optim.Optimizer;
import dev.descent.optim.schedule.Schedules;
import dev.descent.optim.schedule.Scheduler;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.Locale;

/**
 * A character-level Pre-LN Transformer language model on tiny Shakespeare: AdamW with linear warmup and cosine
 * decay, gradient clipping at norm 1, then a sample of generated text. Arguments:
 * {@code [steps [batch-size]] [--seed S]} (defaults 600, 32 and 0).
 */
public final class CharTransformer {
    private static final int CONTEXT = 64;

    private CharTransformer() {
    }

    public static void main(String[] args) {
        ExampleArgs cli = ExampleArgs.parse(args);
        int steps = cli.intAt(0, 600);
        int batchSize = cli.intAt(1, 32);
        String text = Bundled.tinyShakespeare();
        CharVocabulary vocab = CharVocabulary.of(text);
        TextWindows windows = TextWindows.of(text, vocab, CONTEXT);
        Rng rng = cli.rng(0);
        TransformerLM lm = new TransformerLM(TransformerLM.Config.builder(vocab.size(), CONTEXT, 64, 4, 2)
                .dimFeedforward(256).normPosition(NormPosition.PRE).build(), rng);
        System.out.printf(Locale.ROOT, "%d parameters, vocabulary of %d characters%n", lm.parameterCount(),
                vocab.size());
        Optimizer adamW = new AdamW(lm.namedParameters(), 3e-3);
        Scheduler schedule = new Scheduler(adamW, Schedules.hfCosineWithWarmup(steps / 10, steps, 0.5));
        DataLoader loader = DataLoader.builder(windows).batchSize(batchSize).shuffle(cli.rng(1)).build();

        int step = 0;
        double sum = 0;
        while (step < steps) {
            for (Batch b : loader) {
                adamW.zeroGrad();
                Variable logits = lm.forward(b.inputs());
                Variable loss = F.crossEntropy(logits.reshape(-1, vocab.size()), b.targets().reshape(-1));
                loss.backward();
                Clipping.clipGradNorm(lm.parameters(), 1.0);
                adamW.step();
                schedule.step();
                sum += loss.item();
                if (++step % 50 == 0) {
                    System.out.printf(Locale.ROOT, "steps %d-%d: mean loss %.4f (%.3f bits per character)%n",
                            step - 49, step, sum / 50, sum / 50 / Math.log(2));
                    sum = 0;
                }
                if (step == steps) {
                    break;
                }
            }
        }
        System.out.println("---\n" + sample(lm, vocab, "ROMEO:", 200, cli.rng(2)));
    }

    /** Continues {@code prompt} by {@code length} characters drawn from the model's next-character distribution. */
    static String sample(TransformerLM lm, CharVocabulary vocab, String prompt, int length, Rng rng) {
        lm.eval();
        StringBuilder out = new StringBuilder(prompt);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (int i = 0; i < length; i++) {
                String context = out.substring(Math.max(0, out.length() - CONTEXT));
                Tensor tokens = vocab.encode(context).reshape(1, -1);
                double[] p = lm.forward(tokens).value().select(1, context.length() - 1).softmax(-1).toDoubleArray();
                double u = rng.nextDouble();
                int next = 0;
                for (double acc = p[0]; acc < u && next < p.length - 1; acc += p[++next]) {
                    // walk the cumulative distribution up to u
                }
                out.appendCodePoint(vocab.codePoint(next));
            }
        }
        return out.toString();
    }
}
