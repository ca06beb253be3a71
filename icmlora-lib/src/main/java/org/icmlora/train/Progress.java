package org.icmlora.train;

import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long loop (epochs, steps, samples): logs {@code what 12/150 | loss 0.4312 | 3.1 s elapsed, 35 s left}
 * at most every few seconds and always at the end. Notebooks and the console show the same lines.
 *
 * <p>A loop resumed from a checkpoint says how many units an earlier run did: time left is then estimated from the
 * units done in this run only (the resumed ones took no time here), and elapsed time is this run's.
 */
public final class Progress {

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    private static final long MIN_INTERVAL_NANOS = 5_000_000_000L;

    private final String what;
    private final int total;
    private final int alreadyDone;
    private final long start = System.nanoTime();
    private long lastLog = start - MIN_INTERVAL_NANOS; // so the first update logs (no overflow)

    /** A progress report for {@code total} units of work called {@code what} (e.g. "lm-lora arxiv epoch"). */
    public Progress(String what, int total) {
        this(what, total, 0);
    }

    /**
     * A progress report for {@code total} units of which {@code alreadyDone} were finished by an earlier run (a
     * resumed training): the time left is estimated from the units this run does.
     */
    public Progress(String what, int total, int alreadyDone) {
        if (alreadyDone < 0 || alreadyDone > total) {
            throw new IllegalArgumentException("units already done must lie in [0, " + total + "], got " + alreadyDone);
        }
        this.what = what;
        this.total = total;
        this.alreadyDone = alreadyDone;
    }

    /**
     * Reports that {@code done} of the total units are finished, with named values such as a loss; safe to call from
     * the threads that share the work.
     */
    public synchronized void update(int done, String details) {
        long now = System.nanoTime();
        if (done < total && now - lastLog < MIN_INTERVAL_NANOS) {
            return;
        }
        lastLog = now;
        double elapsed = (now - start) / 1e9;
        double left = secondsLeft(done, elapsed);
        LOG.info("{} {}/{} | {} | {} elapsed, {} left", what, done, total, details, format(elapsed),
                Double.isNaN(left) ? "?" : format(left));
    }

    /**
     * Seconds left when {@code done} units are finished after {@code elapsed} seconds of this run, at this run's pace;
     * NaN before this run has finished a unit.
     */
    double secondsLeft(int done, double elapsed) {
        int doneHere = done - alreadyDone;
        return doneHere <= 0 ? Double.NaN : elapsed * (total - done) / doneHere;
    }

    /** Seconds since this report started. */
    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds as "4.2 s", "3 min 05 s" or "1 h 02 min". */
    public static String format(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        Duration d = Duration.ofSeconds(Math.round(seconds));
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%d h %02d min", d.toHours(), d.toMinutesPart())
                : String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }
}
