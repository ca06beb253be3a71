package org.icmlora.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The kit's small worker pool: independent units of work (a task's adapter series, a generator fit, an evaluation, a
 * seed) run side by side, one per core, each on one intra-op thread, so two cores do twice the work without
 * multi-threaded sums that change a number. An experiment says which units are independent with one call:
 *
 * <pre>
 *   List&lt;Evaluation&gt; scores = Workers.map(cells, cell -&gt; MethodEvaluation.evaluate(...));
 * </pre>
 *
 * <p>Results come back in the order of the items, and every unit must be a pure function of its item and the cache:
 * it draws randomness only from its own seeded sources ({@link KitEngine#seeded}, a {@link java.util.Random} from
 * {@link Seeds}) and uses its own {@code NDManager}s. Then a run with any number of workers computes the same bytes as
 * a sequential one (a test checks it). Two units that need the same stage output share it: the artifact store lets one
 * compute it while the other waits.
 *
 * <p>{@code ICMLORA_WORKERS} (environment variable or system property) sets the number of units run at once; the
 * default is the number of cores divided by the intra-op threads ({@code ICMLORA_THREADS}), at least one; 1 runs
 * everything on the calling thread. The calling thread works on its own units too, and a unit may call {@code map}
 * again (its units then run before waiting ones): no unit waits for a free worker that never comes.
 */
public final class Workers {

    /** Environment variable or system property with the number of units run at once. */
    public static final String WORKERS_SETTING = "ICMLORA_WORKERS";

    private static final LinkedBlockingDeque<Batch<?, ?>> QUEUE = new LinkedBlockingDeque<>();
    private static final ThreadLocal<Boolean> IS_WORKER = ThreadLocal.withInitial(() -> false);
    private static volatile int size;
    private static int started;

    private Workers() {}

    /** The number of units run at once (see the class comment). */
    public static int size() {
        if (size == 0) {
            size = fromEnvironment();
        }
        return size;
    }

    /** Runs {@code count} units at once from now on (tests, notebooks); 1 runs them one after another. */
    public static void setSize(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("the number of workers must be >= 1, got " + count);
        }
        size = count;
    }

    /**
     * {@code work} applied to every item, up to {@link #size()} at once; the results in the items' order. When a unit
     * fails, units not yet started are skipped and the failure of the first failed item is thrown once the running
     * ones have finished.
     */
    public static <T, R> List<R> map(List<T> items, Function<? super T, ? extends R> work) {
        if (items.isEmpty()) {
            return List.of();
        }
        Batch<T, R> batch = new Batch<>(List.copyOf(items), work);
        if (size() > 1 && items.size() > 1) {
            startWorkers();
            for (int i = 1; i < items.size(); i++) { // the calling thread takes at least one unit itself
                if (IS_WORKER.get()) {
                    QUEUE.addFirst(batch); // a unit's own units first: it waits for them
                } else {
                    QUEUE.addLast(batch);
                }
            }
        }
        while (batch.runNext()) {
            // the calling thread works through its own units; the workers take the others
        }
        return batch.results();
    }

    /** {@code work} on every item, up to {@link #size()} at once (see {@link #map}). */
    public static <T> void forEach(List<T> items, Consumer<? super T> work) {
        map(items, item -> {
            work.accept(item);
            return null;
        });
    }

    /** The units of one call to {@link #map}; any thread may run the next one. */
    private static final class Batch<T, R> {
        private final List<T> items;
        private final Function<? super T, ? extends R> work;
        private final Object[] results;
        private final Throwable[] failures;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;

        Batch(List<T> items, Function<? super T, ? extends R> work) {
            this.items = items;
            this.work = work;
            this.results = new Object[items.size()];
            this.failures = new Throwable[items.size()];
            this.done = new CountDownLatch(items.size());
        }

        /** Runs the next unit not yet taken; false when none is left. */
        boolean runNext() {
            int i = next.getAndIncrement();
            if (i >= items.size()) {
                return false;
            }
            try {
                results[i] = work.apply(items.get(i));
            } catch (Throwable e) {
                failures[i] = e;
                skipRemaining();
            } finally {
                done.countDown();
            }
            return true;
        }

        private void skipRemaining() {
            int skipped = next.getAndSet(items.size());
            for (int i = skipped; i < items.size(); i++) {
                done.countDown();
            }
        }

        @SuppressWarnings("unchecked")
        List<R> results() {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + items.size() + " units", e);
            }
            Throwable first = Arrays.stream(failures).filter(f -> f != null).findFirst().orElse(null);
            if (first instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (first instanceof Error error) {
                throw error;
            }
            List<R> list = new ArrayList<>(items.size());
            for (Object result : results) {
                list.add((R) result);
            }
            return list;
        }
    }

    private static synchronized void startWorkers() {
        for (; started < size() - 1; started++) {
            int index = started;
            Thread thread = new Thread(() -> work(index), "icmlora-worker-" + (index + 1));
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static void work(int index) {
        IS_WORKER.set(true);
        KitEngine.device(); // sets this thread up for the kit's computations
        while (true) {
            Batch<?, ?> batch;
            try {
                batch = QUEUE.takeFirst();
            } catch (InterruptedException e) {
                return;
            }
            if (retired(index, batch)) {
                return;
            }
            batch.runNext();
        }
    }

    /**
     * True when {@link #setSize} has since lowered the count below this worker's place: it hands the unit it took back
     * and stops, so that never more units run at once than the size says.
     */
    private static synchronized boolean retired(int index, Batch<?, ?> batch) {
        if (index < size() - 1) {
            return false;
        }
        QUEUE.addFirst(batch);
        started--;
        return true;
    }

    private static int fromEnvironment() {
        String value = System.getProperty(WORKERS_SETTING, System.getenv(WORKERS_SETTING));
        if (value == null || value.isBlank()) {
            return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, KitEngine.threads()));
        }
        try {
            int workers = Integer.parseInt(value.trim());
            if (workers < 1) {
                throw new IllegalArgumentException(WORKERS_SETTING + " must be >= 1, got " + workers);
            }
            return workers;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(WORKERS_SETTING + " must be a whole number, got '" + value + "'", e);
        }
    }
}
