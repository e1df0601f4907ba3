package dev.descent.analysis.gradnorm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.report.StudyFolder;
import dev.descent.nn.NormPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's gradient-norm snippet, as written there, then what it claims. */
class ReadmeGradNormTest {
    @Test
    void theReadmeSnippetRunsAndShowsTheDepthTrend() throws IOException {
        // --- as in the README
        GradNormSetup setup = GradNormSetup.builder(ModelKind.LM)            // a char LM on tiny Shakespeare
                .dModel(32).heads(2).seqLen(16).batchSize(4).seeds(5).batches(4).build();
        DepthSweep sweep = new GradientNormsAtInit(setup).sweep(2, 4, 8);    // Pre-LN and Post-LN, Xavier init
        double[] post = sweep.lastLayerMean(NormPosition.POST);              // |dL/dW2,L|_F: about flat in L
        double[] pre = sweep.lastLayerMean(NormPosition.PRE);                // falls like 1/sqrt(1 + L/2)
        StudyFolder folder = new StudyFolder(Files.createTempDirectory("gradnorm"));
        GradNormReport.write(folder, sweep, 8);                              // CSV, JSON and PNG plots
        // --- checks
        try {
            assertTrue(Math.abs(post[2] / post[0] - 1) < 0.3, "Post-LN " + post[0] + " -> " + post[2]);
            assertTrue(pre[2] / pre[0] < 0.8, "Pre-LN " + pre[0] + " -> " + pre[2]);
            for (String f : List.of("per_layer.csv", "per_layer.png", "depth.csv", "depth.png", "gradnorm.json")) {
                assertTrue(Files.size(folder.resolve(f)) > 100, f);
            }
        } finally {
            try (Stream<Path> files = Files.walk(folder.root())) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
