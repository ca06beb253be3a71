package org.icmlora.generate.core;

/**
 * The configuration of one generating method; its type says which method it is. Sealed: the kit's methods are
 * exactly ICM-LoRA's conditional VAE ({@link CvaeConfig}), COND P-DIFF ({@link PdiffConfig}) and the averaging
 * baselines Model Soup and Task-mean LoRA ({@link SoupConfig}); {@link org.icmlora.generate.Generators} builds and
 * loads them. A configuration is plain data: it is part of every cache key of a fitted generator and is written into
 * the generator's files.
 */
public sealed interface GeneratorConfig permits CvaeConfig, PdiffConfig, SoupConfig {
}
