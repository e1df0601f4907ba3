package dev.descent.cuda;

import static org.bytedeco.cuda.global.cudart.*;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The CUDA runtime calls the backend makes: device count, memory, copies, status checks. Every class
 * that touches {@code org.bytedeco.cuda} is reached only after {@link CudaAvailability} said yes, except
 * {@link #deviceCount}, which is the probe itself.
 */
final class CudaRuntime implements DeviceMemory {
    private final int device;

    CudaRuntime(int device) {
        this.device = device;
    }

    /** The number of devices; throws a linkage error when natives or driver are missing. */
    static int deviceCount() {
        int[] n = new int[1];
        int code = cudaGetDeviceCount(n);
        return code == cudaSuccess ? n[0] : 0;
    }

    /** Throws {@link CudaException} unless {@code code} is success. */
    static void check(int code, String call) {
        if (code != cudaSuccess) {
            BytePointer s = cudaGetErrorString(code);
            throw new CudaException(call, code, s == null ? "" : s.getString());
        }
    }

    /** A pointer object holding a raw device address, for the JavaCPP signatures. */
    static Pointer at(long address) {
        return new RawPointer(address);
    }

    /** Makes this runtime's device current on the calling thread (cheap when it already is). */
    void makeCurrent() {
        check(cudaSetDevice(device), "cudaSetDevice(" + device + ")");
    }

    /** The device's compute capability as {@code major * 10 + minor}, e.g. 90 for an H100. */
    int computeCapability() {
        int[] major = new int[1];
        int[] minor = new int[1];
        check(cudaDeviceGetAttribute(major, cudaDevAttrComputeCapabilityMajor, device), "cudaDeviceGetAttribute");
        check(cudaDeviceGetAttribute(minor, cudaDevAttrComputeCapabilityMinor, device), "cudaDeviceGetAttribute");
        return major[0] * 10 + minor[0];
    }

    @Override
    public long malloc(long bytes) {
        makeCurrent();
        Pointer p = new Pointer();
        int code = cudaMalloc(p, bytes);
        if (code == cudaErrorMemoryAllocation) {
            throw new OutOfMemoryError("cudaMalloc: out of device memory allocating " + bytes + " bytes on cuda:" + device);
        }
        check(code, "cudaMalloc(" + bytes + ")");
        return p.address();
    }

    @Override
    public void free(long address) {
        check(cudaFree(at(address)), "cudaFree");
    }

    /** Copies {@code bytes} from host memory to device memory. */
    void toDevice(long deviceAddress, Pointer host, long bytes) {
        check(cudaMemcpy(at(deviceAddress), host, bytes, cudaMemcpyHostToDevice), "cudaMemcpy host to device");
    }

    /** Copies {@code bytes} from device memory to host memory (synchronous). */
    void toHost(Pointer host, long deviceAddress, long bytes) {
        check(cudaMemcpy(host, at(deviceAddress), bytes, cudaMemcpyDeviceToHost), "cudaMemcpy device to host");
    }

    /** Zeroes {@code bytes} of device memory. */
    void zero(long deviceAddress, long bytes) {
        check(cudaMemset(at(deviceAddress), 0, bytes), "cudaMemset");
    }

    /** A JavaCPP pointer whose address is set from a raw device address. */
    private static final class RawPointer extends Pointer {
        RawPointer(long address) {
            this.address = address;
        }
    }
}
