/**
 * A track is one model on one kind of data as the generators and tables see it ({@link org.icmlora.tracks.Track}):
 * tasks, a base model, adapter series per task and rank, task vectors of every {@link
 * org.icmlora.tracks.ConditionKind} ({@link org.icmlora.tracks.TaskVectors}), and evaluation kept item by item ({@link
 * org.icmlora.tracks.Evaluation}). Two implementations: {@code detection} and {@code language}.
 */
package org.icmlora.tracks;
