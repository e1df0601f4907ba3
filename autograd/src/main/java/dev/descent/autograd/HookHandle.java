package dev.descent.autograd;

/** What registering a hook returns: {@link #remove()} unregisters it (idempotent). */
@FunctionalInterface
public interface HookHandle {
    /** Unregisters the hook; later backward passes no longer call it. */
    void remove();
}
