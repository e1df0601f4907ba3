package dev.descent.tensor.cpu;

import dev.descent.tensor.DType;
import dev.descent.tensor.Device;
import dev.descent.tensor.Storage;

/** CPU storage: a plain Java array owned by the garbage collector; no native memory. */
final class CpuStorage extends Storage {
    final Object data;

    CpuStorage(DType dtype, Object data, int size) {
        super(dtype, size);
        this.data = data;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }
}
