package dev.descent.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class CudaLayoutTest {

    @Test
    void fieldsLandWhereTheStructExpectsThem() {
        byte[] bytes = CudaLayout.of("t", new int[] {3, 4}, new int[] {1, 3}, 7);
        assertEquals(144, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        assertEquals(3, b.getLong(0));
        assertEquals(4, b.getLong(8));
        assertEquals(1, b.getLong(16), "unused sizes are 1 so that they divide nothing");
        assertEquals(1, b.getLong(64));
        assertEquals(3, b.getLong(72));
        assertEquals(0, b.getLong(80));
        assertEquals(7, b.getLong(128));
        assertEquals(2, b.getInt(136));
    }

    @Test
    void tooManyDimensionsAreRefusedNamingTheOp() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> CudaLayout.of("add", new int[9], new int[9], 0));
        assertEquals("add: the CUDA kernels handle at most 8 dimensions, got 9", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CudaLayout.of("add", new int[2], new int[1], 0));
    }
}
