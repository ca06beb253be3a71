/**
 * Training: the kit's one resumable loop ({@link org.icmlora.train.TrainingLoop}) that every trainer uses (base models,
 * LoRA series, the CVAE, both phases of COND P-DIFF), its listeners ({@link org.icmlora.train.EpochListener}, {@link
 * org.icmlora.train.KeepLastEpochs}), checkpoints ({@link org.icmlora.train.TrainingCheckpoints}), AdamW with saveable
 * state, gradient clipping, progress with time left, and the rule for what is trainable.
 */
package org.icmlora.train;
