package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.CharVocabulary;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.Example;
import dev.descent.nn.data.SequenceTasks;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.data.TextWindows;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Character vocabularies, next-character windows and the synthetic sequence tasks. */
class DataTextTest {

    @Test
    void vocabularyIsTheSortedDistinctCharacters() {
        CharVocabulary v = CharVocabulary.of("hello world");
        assertEquals(8, v.size());
        assertEquals(' ', v.codePoint(0));
        assertEquals('w', v.codePoint(7));
        // ' ' d e h l o r w
        assertArrayEquals(new long[] {3, 2, 4, 4, 5}, v.encode("hello").toLongArray());
        assertEquals("hello world", v.decode(v.encode("hello world")));
        assertEquals("low", v.decode(4, 5, 7));
        assertEquals(-1, v.indexOf('z'));
    }

    @Test
    void charactersOutsideTheBasicPlaneAreOneToken() {
        String text = "a\uD83D\uDE00b";
        CharVocabulary v = CharVocabulary.of(text);
        assertEquals(3, v.size());
        assertEquals(3, v.encode(text).numel());
        assertEquals(text, v.decode(v.encode(text)));
    }

    @Test
    void vocabularyErrorsNameTheCharacter() {
        CharVocabulary v = CharVocabulary.of("abc");
        var e = assertThrows(IllegalArgumentException.class, () -> v.encode("abz"));
        assertTrue(e.getMessage().contains("'z'") && e.getMessage().contains("U+007A")
                && e.getMessage().contains("position 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v.decode(3));
        assertThrows(IllegalArgumentException.class, () -> CharVocabulary.of(""));
    }

    @Test
    void windowsPredictTheNextToken() {
        Tensor tokens = Tensor.arange(10);
        TextWindows disjoint = new TextWindows(tokens, 3, 3);
        assertEquals(3, disjoint.size(), "windows starting at 0, 3, 6 (the target of the last ends at 9)");
        Example e = disjoint.get(1);
        assertArrayEquals(new long[] {3, 4, 5}, e.input().toLongArray());
        assertArrayEquals(new long[] {4, 5, 6}, e.target().toLongArray());
        TextWindows every = new TextWindows(tokens, 3, 1);
        assertEquals(7, every.size());
        assertArrayEquals(new long[] {7, 8, 9}, every.get(6).target().toLongArray());
        assertThrows(IndexOutOfBoundsException.class, () -> every.get(7));
        var tooShort = assertThrows(IllegalArgumentException.class, () -> new TextWindows(Tensor.arange(3), 3, 1));
        assertTrue(tooShort.getMessage().contains("4 needed"), tooShort.getMessage());
    }

    @Test
    void tinyShakespeareWindowsBatchIntoTokenMatrices() {
        String text = Bundled.tinyShakespeare();
        assertEquals(1_115_394, text.length());
        assertTrue(text.startsWith("First Citizen:\n"));
        CharVocabulary vocab = CharVocabulary.of(text);
        assertEquals(65, vocab.size());
        TextWindows windows = TextWindows.of(text, vocab, 128);
        assertEquals((1_115_394 - 129) / 128 + 1, windows.size());
        assertEquals(text.substring(0, 128), vocab.decode(windows.get(0).input()));
        assertEquals(text.substring(129, 257), vocab.decode(windows.get(1).target()));

        DataLoader loader = DataLoader.builder(windows).batchSize(16).shuffle(new Rng(1)).dropLast(true).build();
        Batch b = loader.iterator().next();
        assertArrayEquals(new int[] {16, 128}, b.inputs().shape().toArray());
        assertArrayEquals(new int[] {16, 128}, b.targets().shape().toArray());
        assertEquals(DType.INT64, b.inputs().dtype());
        // each target row is its input row moved on by one character
        String in = vocab.decode(b.inputs().select(0, 5));
        String out = vocab.decode(b.targets().select(0, 5));
        assertEquals(in.substring(1), out.substring(0, 127));
        assertTrue(text.contains(in + out.charAt(127)));
    }

    @Test
    void copyReverseAndSortTasks() {
        TensorDataset copy = SequenceTasks.copy(20, 6, 5, new Rng(4));
        TensorDataset reverse = SequenceTasks.reverse(20, 6, 5, new Rng(4));
        TensorDataset sort = SequenceTasks.sort(20, 6, 5, new Rng(4));
        assertArrayEquals(new int[] {20, 6}, copy.inputs().shape().toArray());
        assertEquals(DType.INT64, copy.targets().dtype());
        assertArrayEquals(copy.inputs().toLongArray(), reverse.inputs().toLongArray(), "same seed, same inputs");
        assertArrayEquals(copy.inputs().toLongArray(), copy.targets().toLongArray());
        for (int r = 0; r < 20; r++) {
            long[] x = reverse.inputs().select(0, r).toLongArray();
            long[] rev = reverse.targets().select(0, r).toLongArray();
            long[] sorted = sort.targets().select(0, r).toLongArray();
            for (int i = 0; i < 6; i++) {
                assertEquals(x[5 - i], rev[i]);
                assertTrue(x[i] >= 0 && x[i] < 5, "tokens in [0, vocabulary size)");
                if (i > 0) {
                    assertTrue(sorted[i - 1] <= sorted[i], "sorted");
                }
            }
            long[] xs = x.clone();
            Arrays.sort(xs);
            assertArrayEquals(xs, sorted, "a permutation of the input");
        }
        assertFalse(Arrays.equals(copy.inputs().toLongArray(),
                SequenceTasks.copy(20, 6, 5, new Rng(5)).inputs().toLongArray()), "another seed, other data");
        assertThrows(IllegalArgumentException.class, () -> SequenceTasks.sort(0, 6, 5, new Rng(1)));
    }
}
