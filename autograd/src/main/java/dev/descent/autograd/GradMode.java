package dev.descent.autograd;

/** Per-thread autograd switches: whether operations are recorded, and whether anomaly mode is on. */
final class GradMode {
    private static final class State {
        boolean enabled = true;
        boolean anomaly;
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    private GradMode() {
    }

    static boolean isEnabled() {
        return STATE.get().enabled;
    }

    /** Sets recording on or off and returns the previous setting. */
    static boolean set(boolean enabled) {
        State s = STATE.get();
        boolean before = s.enabled;
        s.enabled = enabled;
        return before;
    }

    static boolean isAnomalyEnabled() {
        return STATE.get().anomaly;
    }

    static boolean setAnomaly(boolean enabled) {
        State s = STATE.get();
        boolean before = s.anomaly;
        s.anomaly = enabled;
        return before;
    }
}
