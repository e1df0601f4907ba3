package dev.descent.cuda;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Backends;
import dev.descent.tensor.Device;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CudaAvailabilityTest {

    @Test
    void missingDriverGivesAReasonInsteadOfAnError() {
        CudaAvailability.Status s = CudaAvailability.probe(() -> {
            throw new UnsatisfiedLinkError("libcuda.so.1: cannot open shared object file");
        });
        assertFalse(s.available());
        assertTrue(s.reason().contains("libcuda.so.1"), s.reason());
        assertTrue(s.reason().contains("-Pgpu"), s.reason());
    }

    @Test
    void failedClassInitialisationGivesAReason() {
        CudaAvailability.Status s = CudaAvailability.probe(() -> {
            throw new NoClassDefFoundError("Could not initialize class org.bytedeco.cuda.global.cudart");
        });
        assertFalse(s.available());
        assertTrue(s.reason().contains("failed to initialise"), s.reason());
    }

    @Test
    void driverWithoutDevicesIsUnavailable() {
        CudaAvailability.Status s = CudaAvailability.probe(() -> 0);
        assertFalse(s.available());
        assertTrue(s.reason().contains("no device"), s.reason());
    }

    @Test
    void devicesFoundMakeItAvailable() {
        CudaAvailability.Status s = CudaAvailability.probe(() -> 2);
        assertTrue(s.available());
        assertEquals(2, s.deviceCount());
    }

    @Test
    void realProbeNeverThrowsAndExplainsItself() {
        CudaAvailability.Status s = assertDoesNotThrow(CudaAvailability::status);
        assertFalse(s.reason().isBlank());
        assertEquals(s.available(), s.deviceCount() > 0);
    }

    @Test
    void withoutAGpuTheCpuStillLoadsAndCudaIsRefusedClearly() {
        assertDoesNotThrow(Backends::all);
        assertTrue(Backends.all().stream().anyMatch(b -> b.device().equals(Device.CPU)));
        if (!CudaAvailability.isAvailable()) {
            assertTrue(Backends.all().stream().noneMatch(b -> b.device().equals(Device.cuda(0))));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Tensor.of(1f, 2f).to(Device.cuda(0)));
            assertTrue(e.getMessage().contains("cuda:0"), e.getMessage());
            IllegalStateException direct = assertThrows(IllegalStateException.class, CudaBackend::new);
            assertTrue(direct.getMessage().contains(CudaAvailability.reason()), direct.getMessage());
        }
    }
}
