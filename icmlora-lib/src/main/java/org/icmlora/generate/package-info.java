/**
 * LoRA generators: methods that produce a task's adapter from the task's condition vector. {@link
 * org.icmlora.generate.Generators} is the one registry: which generator a configuration builds and which one an
 * artifact directory holds. What they share lives in {@link org.icmlora.generate.core}: the interface (fit on
 * (condition, flat adapter) pairs of several tasks; generate seeded samples for any condition vector; save and load
 * as a directory whose size is the generator's storage), the sealed configuration, normalisation and the skeleton of
 * the two trained ones.
 *
 * <p>Implementations: {@link org.icmlora.generate.cvae} (ICM-LoRA, the paper's conditional VAE), {@link
 * org.icmlora.generate.pdiff} (COND P-DIFF), {@link org.icmlora.generate.soup} (Model Soup and the per-task mean).
 *
 * <p><b>Normalisation</b> ({@link org.icmlora.generate.core.AdapterNormalizer}) is fitted with the generator and
 * stored in its artifact. Default: per tensor (each layer's A and B) with one mean and deviation pooled over every
 * training checkpoint of every task; de-normalisation uses the same stored statistics (the reference code normalises
 * each checkpoint by itself and de-normalises with one arbitrary checkpoint's statistics). Option: per coordinate
 * across checkpoints (COND P-DIFF's choice). Conditions are centred and divided by one global scale ({@link
 * org.icmlora.generate.core.ConditionScaler}), also stored.
 *
 * <p><b>Artifacts</b> ({@link org.icmlora.generate.core.GeneratorFiles}): {@code weights.safetensors} and
 * {@code generator.json} (kind, configuration, layout, statistics, SHA-256 of the weights), assembled under a
 * temporary name and renamed into place. Training checkpoints go to the {@link org.icmlora.train.TrainingRun}'s work
 * directory through the one {@link org.icmlora.train.TrainingLoop}.
 */
package org.icmlora.generate;
