package dev.descent.examples.cli;

import dev.descent.optim.schedule.LrSchedule;
import dev.descent.optim.schedule.Schedules;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Parses the {@code --schedule} specs of {@code descent train} into learning-rate schedules; bad specs are reported
 * as an {@link IllegalArgumentException} whose message is the one the command shows.
 */
final class ScheduleSpecs {
    private ScheduleSpecs() {
    }

    static LrSchedule parseSchedule(String text, long total) {
        String name = text;
        String args = "";
        int colon = text.indexOf(':');
        if (colon >= 0) {
            name = text.substring(0, colon);
            args = text.substring(colon + 1);
        }
        double[] a;
        try {
            a = args.isEmpty() ? new double[0]
                    : Arrays.stream(args.split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--schedule: bad number in '" + text + "'");
        }
        long t = Math.max(1, total);
        switch (name.toLowerCase(Locale.ROOT)) {
            case "constant":
                return need(text, a, 0, 0, built(Schedules::constant));
            case "cosine":
                return need(text, a, 0, 1, built(() -> Schedules.cosine(t, a.length > 0 ? a[0] : 0)));
            case "step":
                return need(text, a, 2, 2, a.length == 2 ? built(() -> Schedules.step((long) a[0], a[1])) : null);
            case "exponential":
                return need(text, a, 1, 1, a.length == 1 ? built(() -> Schedules.exponential(a[0])) : null);
            case "linear":
                return need(text, a, 2, 2, a.length == 2 ? built(() -> Schedules.linear(a[0], a[1], t)) : null);
            case "warmup-cosine":
                return need(text, a, 1, 1, a.length == 1
                        ? built(() -> Schedules.hfCosineWithWarmup((long) a[0], t, 0.5)) : null);
            case "warmup-linear":
                return need(text, a, 1, 1, a.length == 1
                        ? built(() -> Schedules.hfLinearWithWarmup((long) a[0], t)) : null);
            case "onecycle":
                return need(text, a, 0, 0, built(() -> Schedules.oneCycle(t)));
            case "multistep":
                return need(text, a, 2, 64, a.length >= 2 ? built(() -> Schedules.multiStep(
                        Arrays.stream(a, 0, a.length - 1).mapToLong(v -> (long) v).toArray(), a[a.length - 1]))
                        : null);
            case "polynomial":
                return need(text, a, 0, 1, built(() -> Schedules.polynomial(t, a.length > 0 ? a[0] : 1)));
            case "cosine-restarts":
                return need(text, a, 1, 3, a.length >= 1 ? built(() -> Schedules.warmRestarts((long) a[0],
                        a.length > 1 ? (long) a[1] : 1, a.length > 2 ? a[2] : 0)) : null);
            case "inverse-sqrt":
                return need(text, a, 1, 2, a.length >= 1 ? built(() -> Schedules.fairseqInverseSqrt((long) a[0],
                        a.length > 1 ? a[1] : -1)) : null);
            case "transformer":
                return need(text, a, 2, 2, a.length == 2
                        ? built(() -> Schedules.transformer((int) a[0], (long) a[1])) : null);
            case "untuned-linear":
                return need(text, a, 0, 1, built(() -> Schedules.untunedLinearWarmup(a.length > 0 ? a[0] : 0.999)));
            case "untuned-exponential":
                return need(text, a, 0, 1, built(() -> Schedules.untunedExponentialWarmup(
                        a.length > 0 ? a[0] : 0.999)));
            default:
                throw new IllegalArgumentException("--schedule: unknown schedule '" + name + "' (known: constant,"
                        + " cosine, step, exponential, linear, warmup-cosine, warmup-linear, onecycle, multistep,"
                        + " polynomial, cosine-restarts, inverse-sqrt, transformer, untuned-linear,"
                        + " untuned-exponential)");
        }
    }

    /** Builds a schedule, prefixing the message of a rejected argument with {@code --schedule: }. */
    private static LrSchedule built(Supplier<LrSchedule> schedule) {
        try {
            return schedule.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--schedule: " + e.getMessage());
        }
    }

    private static LrSchedule need(String text, double[] a, int min, int max, LrSchedule s) {
        if (a.length < min || a.length > max || s == null) {
            throw new IllegalArgumentException("--schedule: '" + text + "' takes "
                    + (min == max ? min : min + " to " + max) + " argument(s)");
        }
        return s;
    }
}
