package dev.descent.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Modules held in a list and registered as "0", "1", ..., as {@code torch.nn.ModuleList}; no forward of its own. */
public final class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> modules = new ArrayList<>();

    public ModuleList() {
    }

    public ModuleList(List<? extends M> modules) {
        modules.forEach(this::add);
    }

    /** Appends {@code m} under the next index; returns this list. */
    public ModuleList<M> add(M m) {
        registerModule(Integer.toString(modules.size()), m);
        modules.add(m);
        return this;
    }

    public M get(int i) {
        return modules.get(i);
    }

    public int size() {
        return modules.size();
    }

    @Override
    public Iterator<M> iterator() {
        return java.util.Collections.unmodifiableList(modules).iterator();
    }
}
