package org.icmlora.engine;

/**
 * glibc's allocator settings this process runs with ({@code environment/native-memory.sh} sets them for every JVM the
 * kit starts). They decide how much system time PyTorch's multi-megabyte tensors cost, so a run's timing and a
 * benchmark's figures record them: times are comparable only at the same settings.
 */
public final class AllocatorSettings {

    private static final String[] VARIABLES = {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"};

    private AllocatorSettings() {}

    /** {@code MALLOC_MMAP_THRESHOLD_=..., MALLOC_TRIM_THRESHOLD_=...}, each "unset" when glibc's default applies. */
    public static String describe() {
        return EnvironmentVariables.describe(VARIABLES);
    }
}
