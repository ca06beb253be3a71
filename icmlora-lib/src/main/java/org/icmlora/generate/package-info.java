/**
 * LoRA generators: methods that produce a task's adapter from the task's condition vector, behind one interface,
 * {@link org.icmlora.generate.LoraGenerator} (fit on (task vector, flat adapter) pairs of several tasks, generate
 * seeded samples with their latency, save and load as an artifact directory whose size is the generator's storage).
 *
 * <p>Implementations: {@link org.icmlora.generate.cvae} (ICM-LoRA, the paper's conditional VAE),
 * {@link org.icmlora.generate.pdiff} (COND P-DIFF baseline), {@link org.icmlora.generate.soup} (Model Soup baseline);
 * shared building blocks in {@link org.icmlora.generate.nn}.
 *
 * <p><b>Normalisation</b> ({@link org.icmlora.generate.AdapterNormalizer}) is fitted with the generator and stored in
 * its artifact. Default: per tensor (each layer's A and B) with one mean and deviation pooled over every training
 * checkpoint of every task; de-normalisation uses the same stored statistics (the reference code normalises each
 * checkpoint by itself and de-normalises with one arbitrary checkpoint's statistics). Option: per coordinate across
 * checkpoints (COND P-DIFF's choice, its default there). Task vectors are centred and divided by one global scale
 * ({@link org.icmlora.generate.ConditionScaler}), also stored.
 *
 * <p><b>Artifacts</b> ({@link org.icmlora.generate.GeneratorArtifacts}): {@code weights.safetensors} and
 * {@code generator.json} (kind, configuration, layout, statistics, SHA-256 of the weights), assembled under a
 * temporary name and renamed into place. Training checkpoints (model, optimiser moments, epoch) go to the
 * {@link org.icmlora.generate.TrainingRun}'s work directory; a rerun resumes from the newest and ends with the same
 * weights as an uninterrupted run.
 */
package org.icmlora.generate;
