package dev.descent.nn.data;

import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The batches of an epoch made ahead on a daemon thread into a bounded queue. The thread is never
 * interrupted (an interrupt would close any NIO channel a data set reads from); it checks for
 * {@link #close()} while it waits for room in the queue.
 */
final class Prefetcher implements DataLoader.BatchIterator {
    private static final Object END = new Object();
    private static final long POLL_MILLIS = 50;

    /** What the thread hands over when making batch {@code index} threw. */
    private record Failure(int index, Throwable error) {
    }

    private final BlockingQueue<Object> queue;
    private final int epoch;
    private final Consumer<Prefetcher> onClose;
    private volatile boolean closed;
    private Object head;

    Prefetcher(DataLoader.BatchIterator source, int capacity, int epoch, Consumer<Prefetcher> onClose) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.epoch = epoch;
        this.onClose = onClose;
        Thread thread = new Thread(() -> produce(source), "descent-prefetch-epoch-" + epoch);
        thread.setDaemon(true);
        thread.start();
    }

    private void produce(DataLoader.BatchIterator source) {
        int made = 0;
        try {
            while (source.hasNext()) {
                if (!hand(source.next())) {
                    return;
                }
                made++;
            }
            hand(END);
        } catch (Throwable t) {
            hand(new Failure(made, t));
        }
    }

    /** Puts {@code item} in the queue; false if the iterator was closed first. */
    private boolean hand(Object item) {
        try {
            while (!closed) {
                if (queue.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        if (head == null) {
            head = take();
        }
        if (head == END) {
            close();
            return false;
        }
        return true;
    }

    /** The next item, or END once closed (possibly from another thread, e.g. by {@link DataLoader#close()}). */
    private Object take() {
        try {
            while (!closed) {
                Object item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (item != null) {
                    return item;
                }
            }
            return END;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("DataLoader: interrupted while waiting for the prefetch thread", e);
        }
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("DataLoader: epoch " + epoch + " has ended");
        }
        Object item = head;
        head = null;
        if (item instanceof Failure f) {
            close();
            throw new RuntimeException("DataLoader: making batch " + f.index() + " of epoch " + epoch + " failed on"
                    + " the prefetch thread: " + f.error(), f.error());
        }
        return (Batch) item;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            head = null;
            queue.clear();
            onClose.accept(this);
        }
    }
}
