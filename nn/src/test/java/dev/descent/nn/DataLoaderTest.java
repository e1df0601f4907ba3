package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.nn.data.Batch;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.Dataset;
import dev.descent.nn.data.Example;
import dev.descent.nn.data.TensorDataset;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Batching, reproducible shuffling, drop-last, collation and prefetching. */
class DataLoaderTest {

    /** n examples whose input is [i, -i] (FLOAT32) and whose label is i (INT64), so batches show their order. */
    private static TensorDataset numbered(int n) {
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y));
    }

    /** The labels of every batch of one epoch, concatenated. */
    private static long[] labels(Iterable<Batch> epoch) {
        List<Long> out = new ArrayList<>();
        for (Batch b : epoch) {
            for (long v : b.targets().toLongArray()) {
                out.add(v);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** 0, 1, ..., n - 1. */
    private static long[] range(int n) {
        return IntStream.range(0, n).asLongStream().toArray();
    }

    private static long[] asLongs(int[] order) {
        return Arrays.stream(order).asLongStream().toArray();
    }

    @Test
    void withoutShufflingExamplesComeInOrder() {
        DataLoader loader = DataLoader.builder(numbered(10)).batchSize(4).build();
        assertArrayEquals(range(10), labels(loader));
        assertArrayEquals(range(10), labels(loader), "every epoch");
    }

    @Test
    void sameSeedGivesTheSameEpochsAndEachEpochItsOwnPermutation() {
        TensorDataset data = numbered(50);
        DataLoader a = DataLoader.builder(data).batchSize(8).shuffle(new Rng(11)).build();
        DataLoader b = DataLoader.builder(data).batchSize(8).shuffle(new Rng(11)).build();
        long[] a0 = labels(a);
        long[] a1 = labels(a);
        assertArrayEquals(a0, labels(b));
        assertArrayEquals(a1, labels(b));
        assertFalse(Arrays.equals(a0, a1), "a new permutation every epoch");
        assertFalse(Arrays.equals(a0, range(50)), "shuffled");
        long[] sorted = a0.clone();
        Arrays.sort(sorted);
        assertArrayEquals(range(50), sorted, "a permutation: every example exactly once");
        DataLoader other = DataLoader.builder(data).batchSize(8).shuffle(new Rng(12)).build();
        assertFalse(Arrays.equals(a0, labels(other)), "another seed, another order");
    }

    @Test
    void anyEpochCanBeReplayedWithoutRunningTheOnesBefore() {
        TensorDataset data = numbered(30);
        DataLoader sequential = DataLoader.builder(data).batchSize(7).shuffle(new Rng(3)).build();
        List<long[]> epochs = new ArrayList<>();
        for (int e = 0; e < 4; e++) {
            epochs.add(labels(sequential));
        }
        assertEquals(4, sequential.nextEpoch());
        DataLoader resumed = DataLoader.builder(data).batchSize(7).shuffle(new Rng(3)).build();
        assertArrayEquals(epochs.get(2), labels(resumed.epoch(2)));
        assertArrayEquals(asLongs(resumed.order(3)), epochs.get(3));
        resumed.setEpoch(3);
        assertArrayEquals(epochs.get(3), labels(resumed));
        assertEquals(4, resumed.nextEpoch());
    }

    @Test
    void theShuffleDrawsFromTheGivenGeneratorOnce() {
        Rng rng = new Rng(5);
        Rng expected = new Rng(5);
        expected.nextLong();
        DataLoader loader = DataLoader.builder(numbered(5)).shuffle(rng).build();
        labels(loader);
        labels(loader);
        assertEquals(expected.nextLong(), rng.nextLong(), "epochs do not consume the caller's generator");
    }

    @Test
    void dropLastCounts() {
        TensorDataset data = numbered(10);
        DataLoader keep = DataLoader.builder(data).batchSize(3).build();
        DataLoader drop = DataLoader.builder(data).batchSize(3).dropLast(true).build();
        assertEquals(4, keep.batchesPerEpoch());
        assertEquals(3, drop.batchesPerEpoch());
        List<Integer> keepSizes = new ArrayList<>();
        keep.forEach(b -> keepSizes.add(b.size()));
        List<Integer> dropSizes = new ArrayList<>();
        drop.forEach(b -> dropSizes.add(b.size()));
        assertEquals(List.of(3, 3, 3, 1), keepSizes);
        assertEquals(List.of(3, 3, 3), dropSizes);
        assertEquals(2, DataLoader.builder(numbered(8)).batchSize(4).dropLast(true).build().batchesPerEpoch(),
                "an exact multiple drops nothing");
        assertEquals(0, DataLoader.builder(numbered(3)).batchSize(4).dropLast(true).build().batchesPerEpoch());
    }

    @Test
    void collationStacksFeaturesAndLabels() {
        TensorDataset data = numbered(9);
        Batch fast = DataLoader.builder(data).batchSize(4).build().iterator().next();
        assertArrayEquals(new int[] {4, 2}, fast.inputs().shape().toArray());
        assertEquals(DType.FLOAT32, fast.inputs().dtype());
        assertArrayEquals(new int[] {4}, fast.targets().shape().toArray());
        assertEquals(DType.INT64, fast.targets().dtype());
        assertArrayEquals(new float[] {2, -2}, fast.inputs().select(0, 2).toFloatArray());

        // the same examples as a plain list go through Batch.collate, with the same result
        List<Example> list = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            list.add(Example.of(Tensor.of((float) i, (float) -i), i));
        }
        Batch stacked = DataLoader.builder(Dataset.of(list)).batchSize(4).build().iterator().next();
        assertArrayEquals(fast.inputs().toFloatArray(), stacked.inputs().toFloatArray());
        assertArrayEquals(fast.targets().toLongArray(), stacked.targets().toLongArray());
        assertEquals(DType.INT64, stacked.targets().dtype());
        assertArrayEquals(new int[] {4}, stacked.targets().shape().toArray());
    }

    @Test
    void collationRejectsExamplesOfDifferentShapes() {
        List<Example> list = List.of(Example.of(Tensor.zeros(3), 0), Example.of(Tensor.zeros(4), 1));
        var e = assertThrows(IllegalArgumentException.class, () -> Batch.collate(list));
        assertTrue(e.getMessage().contains("example 1") && e.getMessage().contains("[4]")
                && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void prefetchGivesTheSameBatches() {
        TensorDataset data = numbered(37);
        DataLoader plain = DataLoader.builder(data).batchSize(5).shuffle(new Rng(9)).build();
        DataLoader ahead = DataLoader.builder(data).batchSize(5).shuffle(new Rng(9)).prefetch(2).build();
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Batch> expected = new ArrayList<>();
            plain.forEach(expected::add);
            List<Batch> actual = new ArrayList<>();
            ahead.forEach(actual::add);
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i).inputs().toFloatArray(), actual.get(i).inputs().toFloatArray());
                assertArrayEquals(expected.get(i).targets().toLongArray(), actual.get(i).targets().toLongArray());
            }
        }
    }

    @Test
    void prefetchPropagatesTheExceptionOfABatch() {
        IllegalStateException broken = new IllegalStateException("disk on fire");
        Dataset<Example> failing = new Dataset<>() {
            @Override
            public int size() {
                return 10;
            }

            @Override
            public Example get(int index) {
                if (index == 7) {
                    throw broken;
                }
                return Example.of(Tensor.of((float) index), index);
            }
        };
        DataLoader loader = DataLoader.builder(failing).batchSize(2).prefetch(3).build();
        DataLoader.BatchIterator it = loader.iterator();
        for (int i = 0; i < 3; i++) {
            assertEquals(2 * i, it.next().targets().getLong(0));
        }
        assertTrue(it.hasNext());
        RuntimeException e = assertThrows(RuntimeException.class, it::next);
        assertSame(broken, e.getCause());
        assertTrue(e.getMessage().contains("batch 3") && e.getMessage().contains("disk on fire"), e.getMessage());
        assertFalse(it.hasNext(), "the epoch ends with the failure");
    }

    @Test
    void closingAnEpochEarlyStopsItsThread() throws InterruptedException {
        DataLoader loader = DataLoader.builder(numbered(1000)).batchSize(1).prefetch(1).build();
        DataLoader.BatchIterator first = loader.iterator();
        first.next();
        DataLoader.BatchIterator second = loader.iterator();
        second.next();
        first.close();
        assertFalse(first.hasNext());
        loader.close();
        assertFalse(second.hasNext());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (prefetchThreadsAlive() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, prefetchThreadsAlive(), "prefetch threads end once their epochs are closed");
    }

    private static long prefetchThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("descent-prefetch-") && t.isAlive()).count();
    }

    @Test
    void optionsAreChecked() {
        TensorDataset data = numbered(3);
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).prefetch(-1));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).build().order(-1));
        assertNotEquals(0, DataLoader.builder(data).build().batchesPerEpoch());
    }
}
