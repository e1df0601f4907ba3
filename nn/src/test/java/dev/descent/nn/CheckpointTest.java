package dev.descent.nn;

import dev.descent.nn.io.Checkpoint;
import dev.descent.nn.io.MalformedFileException;
import dev.descent.nn.io.SafeTensors;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint's parts round-trip exactly, and a checkpoint that is wrong is reported in full. */
class CheckpointTest {
    @TempDir
    Path dir;

    private static Sequential model(long seed) {
        return new Sequential(new Linear(3, 4, new Rng(seed)), new ReLU(), new Linear(4, 2, new Rng(seed + 1)));
    }

    private static Checkpoint.State optimizerState() {
        Map<String, Object> scalars = new LinkedHashMap<>();
        scalars.put("lr", 0.1);
        scalars.put("momentum", 0.9f);
        scalars.put("nesterov", false);
        scalars.put("steps", 7);
        scalars.put("betas", List.of(0.9, 0.999));
        scalars.put("group", Map.of("name", "decay"));
        scalars.put("note", null);
        return new Checkpoint.State(Map.of("0.weight.momentum_buffer", Tensor.randn(new Rng(4), 4, 3)), scalars);
    }

    private static Map<String, Object> scheduleScalars() {
        Map<String, Object> scalars = new LinkedHashMap<>();
        scalars.put("last_step", 42L);
        scalars.put("base_lrs", List.of(0.1));
        return scalars;
    }

    private Checkpoint full() {
        Rng data = new Rng(11);
        data.nextLong();
        return Checkpoint.builder()
                .step(42)
                .model(model(1))
                .optimizer(optimizerState())
                .schedule(new Checkpoint.State(Map.of(), scheduleScalars()))
                .rng("data", data)
                .rng("dropout", new Rng(12))
                .metadata("run", "unit")
                .metadata("seed", 1234)
                .build();
    }

    @Test
    void everyPartRoundTripsExactly() throws IOException {
        Checkpoint saved = full();
        Path file = dir.resolve("ckpt.safetensors");
        saved.save(file);
        Checkpoint loaded = Checkpoint.load(file);

        assertEquals(42, loaded.step());
        assertEquals(saved.model().keySet(), loaded.model().keySet());
        saved.model().forEach((name, t) -> assertArrayEquals(t.toFloatArray(), loaded.model().get(name).toFloatArray()));
        assertEquals(saved.optimizer().scalars(), loaded.optimizer().scalars());
        assertEquals(Long.valueOf(7), loaded.optimizer().scalars().get("steps"), "integers come back as Long");
        assertEquals((double) 0.9f, loaded.optimizer().scalars().get("momentum"), "floats widen exactly to Double");
        assertTrue(loaded.optimizer().scalars().containsKey("note"));
        assertArrayEquals(saved.optimizer().tensors().get("0.weight.momentum_buffer").toFloatArray(),
                loaded.optimizer().tensors().get("0.weight.momentum_buffer").toFloatArray());
        assertEquals(saved.schedule().scalars(), loaded.schedule().scalars());
        assertEquals(List.of("data", "dropout"), List.copyOf(loaded.rngNames()));
        assertArrayEquals(saved.rngState("data"), loaded.rngState("data"));
        assertEquals(Map.of("run", "unit", "seed", 1234L), loaded.metadata());
        assertEquals(saved.toString(), loaded.toString());
    }

    @Test
    void restoringPutsEveryPartBack() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        full().save(file);
        Checkpoint loaded = Checkpoint.load(file);

        Sequential fresh = model(99);
        loaded.restoreModel(fresh);
        model(1).stateDict().forEach((name, t) -> assertArrayEquals(t.toFloatArray(), fresh.stateDict().get(name).toFloatArray()));
        Rng rng = new Rng(0);
        loaded.restoreRng("data", rng);
        Rng expected = new Rng(11);
        expected.nextLong();
        assertEquals(expected.nextLong(), rng.nextLong());

        IllegalArgumentException noRng = assertThrows(IllegalArgumentException.class, () -> loaded.restoreRng("init", rng));
        assertTrue(noRng.getMessage().contains("no RNG state 'init' among [data, dropout]"), noRng.getMessage());
        Sequential other = new Sequential(new Linear(3, 4, new Rng(1)));
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class, () -> loaded.restoreModel(other));
        assertTrue(mismatch.getMessage().contains("unexpected keys [2.bias, 2.weight]"), mismatch.getMessage());
    }

    @Test
    void theFileIsAPlainSafetensorsFileWithNamedSections() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        full().save(file);
        SafeTensors st = SafeTensors.read(file);
        assertEquals(List.of("model.0.weight", "model.0.bias", "model.2.weight", "model.2.bias",
                "optimizer.0.weight.momentum_buffer", "rng.data", "rng.dropout"), List.copyOf(st.tensors().keySet()));
        assertEquals(DType.INT64, st.get("rng.data").dtype());
        assertEquals(Checkpoint.FORMAT, st.metadata().get("format"));
        assertEquals("1", st.metadata().get("format_version"));
        assertEquals("42", st.metadata().get("step"));
        assertEquals("{\"last_step\":42,\"base_lrs\":[0.1]}", st.metadata().get("schedule"));
    }

    @Test
    void aFileThatIsNotACheckpointIsSaidToBeNone() throws IOException {
        Path plain = dir.resolve("weights.safetensors");
        SafeTensors.saveModel(plain, model(1));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Checkpoint.load(plain));
        assertTrue(e.getMessage().contains("not a Descent checkpoint"), e.getMessage());

        SafeTensors.write(plain, Map.of(), Map.of("format", Checkpoint.FORMAT, "format_version", "2"));
        e = assertThrows(MalformedFileException.class, () -> Checkpoint.load(plain));
        assertTrue(e.getMessage().contains("checkpoint format version 2 is not one this version of Descent reads (1)"),
                e.getMessage());
    }

    @Test
    void everyProblemOfABrokenCheckpointIsReportedAtOnce() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", Checkpoint.FORMAT);
        metadata.put("format_version", "1");
        metadata.put("step", "-3");
        metadata.put("optimizer", "{\"lr\": ");
        metadata.put("schedule", "[1]");
        metadata.put("extra", "x");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("weights", Tensor.ones(2));
        tensors.put("model.", Tensor.ones(2));
        tensors.put("rng.data", Tensor.zeros(4));
        tensors.put("rng.stuck", Tensor.zeros(DType.INT64, 4));
        tensors.put("model.ok", Tensor.ones(2));
        Path file = dir.resolve("broken.safetensors");
        SafeTensors.write(file, tensors, metadata);

        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Checkpoint.load(file));
        String m = e.getMessage();
        assertTrue(m.startsWith(file + " is not a valid checkpoint: "), m);
        for (String problem : List.of("unexpected metadata entry 'extra'", "step '-3' is not a non-negative integer",
                "metadata entry 'optimizer' is not a JSON object", "metadata entry 'schedule' is not a JSON object",
                "metadata entry 'metadata' is missing", "tensor 'weights' is in no section",
                "tensor 'model.' is in no section", "RNG state 'rng.data' must be INT64 of shape [4], not float32[4]",
                "RNG state 'rng.stuck' is all zeros")) {
            assertTrue(m.contains(problem), "missing '" + problem + "' in: " + m);
        }
        assertEquals(9, m.split("; ").length, m);
    }

    @Test
    void partsThatCannotBeStoredAreRejectedWhenGiven() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint.State(Map.of(), Map.of("lr", Double.NaN)));
        assertTrue(nan.getMessage().contains("State scalars.lr: NaN cannot be stored as JSON"), nan.getMessage());
        IllegalArgumentException object = assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint.State(Map.of(), Map.of("list", List.of(1, new Object()))));
        assertTrue(object.getMessage().contains("State scalars.list[1]: a java.lang.Object cannot be stored"),
                object.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.State.ofTensors(Map.of("", Tensor.ones(1))));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.builder().step(-1));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.builder().metadata("x", Set.of(1)));
        Checkpoint.Builder b = Checkpoint.builder().rng("data", new Rng(1));
        assertThrows(IllegalArgumentException.class, () -> b.rng("data", new Rng(2)));
    }

    @Test
    void aFailedSaveLeavesThePreviousCheckpoint() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        full().save(file);
        byte[] previous = Files.readAllBytes(file);
        Checkpoint next = Checkpoint.builder().step(43).model(Map.of("w", Tensor.zeros(256, 1024))).build();
        Thread.currentThread().interrupt();
        try {
            assertThrows(ClosedByInterruptException.class, () -> next.save(file));
        } finally {
            Thread.interrupted();
        }
        assertArrayEquals(previous, Files.readAllBytes(file));
        assertEquals(1, Arrays.stream(dir.toFile().list()).count());
        assertEquals(42, Checkpoint.load(file).step());
    }
}
