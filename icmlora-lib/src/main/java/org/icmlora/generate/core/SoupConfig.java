package org.icmlora.generate.core;

/**
 * What a Model Soup averages, and over which checkpoints.
 *
 * @param scope     {@link Scope#ALL_TASKS} (default, the paper's plain reading: one soup of every task's checkpoints,
 *                  served for every task) or {@link Scope#PER_TASK} (each task's own checkpoints)
 * @param averaging {@link Averaging#MERGED_DELTAS} (default: the faithful weight soup, the mean of the weight changes
 *                  {@code s * B * A}) or {@link Averaging#FACTORS} (mean of A and mean of B separately, which is NOT
 *                  the mean of the products: {@code mean(B) mean(A) != mean(B A)})
 */
public record SoupConfig(Scope scope, Averaging averaging) implements GeneratorConfig {

    /** Which checkpoints go into one soup. */
    public enum Scope { ALL_TASKS, PER_TASK }

    /** What is averaged. */
    public enum Averaging { MERGED_DELTAS, FACTORS }

    /** The paper-faithful default: merged deltas of all tasks' checkpoints. */
    public static SoupConfig defaults() {
        return new SoupConfig(Scope.ALL_TASKS, Averaging.MERGED_DELTAS);
    }
}
