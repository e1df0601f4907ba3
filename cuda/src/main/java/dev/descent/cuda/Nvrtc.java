package dev.descent.cuda;

import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.nvrtc.*;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Compiles a kernel source with NVRTC to a CUBIN for the device's exact architecture (no PTX, so the
 * driver does no JIT and an NVRTC newer than the driver's PTX support still works) and loads it. The
 * module stays loaded for the life of the process, like the cache that holds its function.
 */
final class Nvrtc {
    private static final String[] OPTIONS = {"--std=c++17", "-default-device"};

    private Nvrtc() {
    }

    /** The loaded entry point of {@code source}; a failed compilation throws with NVRTC's log. */
    static CUfunc_st compile(KernelSource source, int computeCapability) {
        _nvrtcProgram program = new _nvrtcProgram();
        check(nvrtcCreateProgram(program, new BytePointer(source.source()), new BytePointer(source.name() + ".cu"),
                0, (PointerPointer<?>) null, (PointerPointer<?>) null), "nvrtcCreateProgram", source);
        try {
            PointerPointer<?> options = new PointerPointer<>(KernelCache.archOption(computeCapability),
                    OPTIONS[0], OPTIONS[1]);
            int code = nvrtcCompileProgram(program, 3, options);
            if (code != NVRTC_SUCCESS) {
                throw new CudaException("nvrtcCompileProgram(" + source.name() + ")", code, log(program));
            }
            SizeTPointer size = new SizeTPointer(1);
            check(nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize", source);
            BytePointer cubin = new BytePointer(size.get());
            check(nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN", source);
            CUmod_st module = new CUmod_st();
            CudaRuntime.check(cuModuleLoadData(module, cubin), "cuModuleLoadData(" + source.name() + ")");
            CUfunc_st function = new CUfunc_st();
            CudaRuntime.check(cuModuleGetFunction(function, module, source.name()),
                    "cuModuleGetFunction(" + source.name() + ")");
            return function;
        } finally {
            nvrtcDestroyProgram(program);
        }
    }

    private static String log(_nvrtcProgram program) {
        SizeTPointer size = new SizeTPointer(1);
        if (nvrtcGetProgramLogSize(program, size) != NVRTC_SUCCESS) {
            return "(no log)";
        }
        BytePointer log = new BytePointer(size.get());
        nvrtcGetProgramLog(program, log);
        return log.getString();
    }

    private static void check(int code, String call, KernelSource source) {
        if (code != NVRTC_SUCCESS) {
            throw new CudaException(call + "(" + source.name() + ")", code, nvrtcGetErrorString(code).getString());
        }
    }
}
