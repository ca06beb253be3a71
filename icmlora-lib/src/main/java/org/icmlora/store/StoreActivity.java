package org.icmlora.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the artifact stores of this JVM did, in order: outputs computed, outputs reused, and waits for another thread
 * or process that was computing an output. The command line sums it up as one line per experiment ({@link #since})
 * instead of a log line per reuse. Safe to use from many threads.
 */
public final class StoreActivity {

    private enum Kind { COMPUTED, REUSED, WAITED }

    private record Event(StageKey key, Kind kind) {}

    private final List<Event> events = new ArrayList<>();

    StoreActivity() {}

    synchronized void computed(StageKey key) {
        events.add(new Event(key, Kind.COMPUTED));
    }

    synchronized void reused(StageKey key) {
        events.add(new Event(key, Kind.REUSED));
    }

    synchronized void waited(StageKey key) {
        events.add(new Event(key, Kind.WAITED));
    }

    /** A point to summarise from. */
    public synchronized int mark() {
        return events.size();
    }

    /**
     * Distinct outputs computed and reused since {@code mark} (an output computed and then used again counts as
     * computed), and the waits for another run.
     */
    public synchronized Summary since(int mark) {
        Set<StageKey> computed = new HashSet<>();
        Set<StageKey> reused = new HashSet<>();
        int waits = 0;
        for (Event event : events.subList(mark, events.size())) {
            switch (event.kind()) {
                case COMPUTED -> computed.add(event.key());
                case REUSED -> reused.add(event.key());
                case WAITED -> waits++;
            }
        }
        reused.removeAll(computed);
        return new Summary(computed.size(), reused.size(), waits);
    }

    /** Numbers of distinct outputs computed and reused, and of waits for another run. */
    public record Summary(int computed, int reused, int waits) {}
}
