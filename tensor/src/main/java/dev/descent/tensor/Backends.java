package dev.descent.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the {@link Backend} for a device. Backends are discovered once with {@link ServiceLoader}; the
 * CPU backend ships with this module, the CUDA backend with {@code descent-cuda} when it is on the class
 * path and a GPU is usable.
 */
public final class Backends {
    private static volatile List<Backend> loaded;

    private Backends() {
    }

    /** The backend owning {@code device}. */
    public static Backend forDevice(Device device) {
        for (Backend b : all()) {
            if (b.device().equals(device)) {
                return b;
            }
        }
        throw new IllegalArgumentException("no backend for device " + device
                + " (for CUDA, put descent-cuda on the class path and check that a GPU and driver are present)");
    }

    /** The backend of the host. */
    public static Backend cpu() {
        return forDevice(Device.CPU);
    }

    /** Every backend found. */
    public static List<Backend> all() {
        List<Backend> list = loaded;
        if (list == null) {
            synchronized (Backends.class) {
                list = loaded;
                if (list == null) {
                    list = load();
                    loaded = list;
                }
            }
        }
        return list;
    }

    private static List<Backend> load() {
        List<Backend> list = new ArrayList<>();
        ServiceLoader<Backend> loader = ServiceLoader.load(Backend.class, Backends.class.getClassLoader());
        var it = loader.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                list.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                // an optional backend whose natives or device are missing is skipped; the CPU always loads
                System.getLogger("dev.descent").log(System.Logger.Level.DEBUG, "backend skipped: " + e);
            }
        }
        return List.copyOf(list);
    }
}
