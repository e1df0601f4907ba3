package dev.descent.analysis.gradnorm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.nn.NormPosition;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study's files hold exactly the numbers of the records, and the plots are images. */
class GradNormReportTest {
    @TempDir
    Path dir;

    @Test
    void writesTablesJsonAndPlotsOfAnEncoderDecoderSweep() throws Exception {
        GradNormSetup setup = GradNormSetup.builder(ModelKind.ENCODER_DECODER).dModel(16).heads(2).seqLen(6)
                .batchSize(2).seeds(2).batches(1).build();
        DepthSweep sweep = new GradientNormsAtInit(setup).sweep(1, 3);
        GradNormReport.write(new StudyFolder(dir), sweep, 3);

        List<String> perLayer = Files.readAllLines(dir.resolve("per_layer.csv"));
        assertEquals(String.join(",", GradNormReport.PER_LAYER_HEADER), perLayer.get(0));
        assertEquals(1 + 2 * 2 * 3, perLayer.size(), "2 norms x 2 stacks x 3 layers");
        PerLayerNorms post = sweep.at(NormPosition.POST, 3);
        String[] decoderTop = perLayer.stream().filter(l -> l.startsWith("encdec,Post-LN,3,decoder,3,"))
                .findFirst().orElseThrow().split(",");
        assertEquals(post.stack("decoder").mean()[2], Double.parseDouble(decoderTop[5]), 0.0);
        assertEquals(post.stack("decoder").std()[2], Double.parseDouble(decoderTop[6]), 0.0);
        assertEquals(post.stack("decoder").mean()[2], Double.parseDouble(decoderTop[7]), 0.0, "anchored at the top");
        String encoderRow = perLayer.stream().filter(l -> l.startsWith("encdec,Post-LN,3,encoder,1,"))
                .findFirst().orElseThrow();
        assertTrue(encoderRow.endsWith(","), "no prediction for the encoder: " + encoderRow);

        List<String> depth = Files.readAllLines(dir.resolve("depth.csv"));
        assertEquals(1 + 2 * 2 * 2, depth.size(), "2 norms x 2 depths x 2 stacks");
        String[] preDeep = depth.stream().filter(l -> l.startsWith("encdec,Pre-LN,3,decoder,")).findFirst()
                .orElseThrow().split(",");
        assertEquals(sweep.lastLayerMean(NormPosition.PRE)[1], Double.parseDouble(preDeep[4]), 0.0);
        double anchored = sweep.lastLayerMean(NormPosition.PRE)[0] * Math.sqrt(1.5 / 2.5);
        assertEquals(anchored, Double.parseDouble(preDeep[6]), 1e-12);

        JsonNode json = new ObjectMapper().readTree(dir.resolve("gradnorm.json").toFile());
        JsonNode first = json.get("per_layer").get(0);
        assertEquals("pre", first.get("norm").asText());
        assertEquals("decoder", first.get("stack").asText());
        assertEquals(3, first.get("per_layer").size());
        assertEquals(sweep.at(NormPosition.PRE, 3).output().mean()[0], first.get("per_layer").get(0).asDouble(), 0.0);
        assertEquals(2, first.get("stacks").size());
        assertEquals(3, first.get("prediction").get("per_layer").size());
        JsonNode deep = json.get("depth_sweep");
        assertEquals(1, deep.get("reference_depth").asInt());
        assertEquals(sweep.lastLayerMean(NormPosition.POST)[0], deep.get("post").get("prediction").get(1).asDouble(),
                0.0);

        for (String png : new String[] {"per_layer.png", "depth.png"}) {
            BufferedImage image = ImageIO.read(dir.resolve(png).toFile());
            assertEquals(800, image.getWidth(), png);
            assertEquals(500, image.getHeight(), png);
        }
    }
}
