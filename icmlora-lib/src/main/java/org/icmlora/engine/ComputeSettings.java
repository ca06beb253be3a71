package org.icmlora.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What decides the bytes a computation produces besides its configuration and inputs: the DJL version, the engine and
 * its version, the kind of device and PyTorch's thread counts (a sum split over two threads adds in another order, so
 * one thread and two give different weights). Every cache key covers these settings, so an output made on a GPU, with
 * two threads or by another PyTorch is never reused as if this machine had made it.
 *
 * <p>{@code OMP_NUM_THREADS} is recorded beside them ({@link #describe()}) but does not enter keys: the kit sets
 * PyTorch's thread counts itself ({@link KitEngine#init(int)}), and smoke runs with it unset, 1 and 2 wrote
 * byte-identical outputs.
 *
 * @param djl            DJL's version
 * @param engine         the engine's name and version, e.g. {@code PyTorch 2.7.1}
 * @param device         {@code cpu} or {@code gpu}
 * @param intraOpThreads PyTorch's intra-op threads, as read back from the engine
 * @param interOpThreads PyTorch's inter-op threads, as read back from the engine
 */
public record ComputeSettings(String djl, String engine, String device, int intraOpThreads, int interOpThreads) {

    /** The environment variable that OpenMP reads; recorded, not keyed (see the class comment). */
    public static final String OMP_SETTING = "OMP_NUM_THREADS";

    /** These settings and {@code OMP_NUM_THREADS} (its value or "unset"), by name, for manifests and result files. */
    public Map<String, Object> describe() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("djl", djl);
        all.put("engine", engine);
        all.put("device", device);
        all.put("intraOpThreads", intraOpThreads);
        all.put("interOpThreads", interOpThreads);
        all.put(OMP_SETTING, EnvironmentVariables.valueOrUnset(OMP_SETTING));
        return all;
    }
}
