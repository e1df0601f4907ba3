package dev.descent.cuda;

/** A CUDA, cuBLAS or NVRTC call returned an error; the message names the call and the status. */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error from {@code call} with status {@code code}, described by {@code detail}. */
    public CudaException(String call, int code, String detail) {
        super(call + " failed with status " + code + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    }
}
