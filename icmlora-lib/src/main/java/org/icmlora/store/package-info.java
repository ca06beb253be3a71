/**
 * Where the pipeline keeps its outputs, and how they are written so that neither a crash nor a second run at the same
 * time ever leaves a wrong one.
 *
 * <h2>Atomic writes</h2>
 * {@link org.icmlora.store.AtomicFiles} writes a file to a temporary name in the same directory, forces it to disk
 * and renames it over the target in one step; readers see the old file or the new one, never a part.
 *
 * <h2>Stage keys</h2>
 * {@link org.icmlora.store.ArtifactStore#key} names a stage output by a hash of the stage name, its configuration as
 * JSON (object members sorted by name, so map iteration order never matters), the keys of its inputs, the computation
 * version and the {@link org.icmlora.engine.ComputeSettings} (DJL and engine versions, device, PyTorch's intra-op and
 * inter-op threads). Changing a parameter changes the key of that stage and of every stage downstream of it; nothing
 * else is recomputed.
 *
 * <h2>One computation at a time</h2>
 * {@link org.icmlora.store.ArtifactStore#getOrCompute} computes an output while holding its lock: a lock per output
 * for the threads of this JVM and an OS lock on one byte of the stage's {@code .lock} file for other processes (the
 * command line, notebooks and tests share one cache). Whoever comes second logs that it waits, then reuses the
 * output. The output's {@linkplain org.icmlora.store.ArtifactStore#workDir work directory} (training checkpoints, a
 * partial {@link org.icmlora.lora.AdapterSeries}) belongs to the lock holder; a killed holder's lock is released by the
 * operating system and the next holder resumes its work.
 *
 * <h2>Outputs, inputs and resume</h2>
 * An output {@code <root>/<stage>/<hash>/} is reused when its {@code manifest.json} exists, every file matches the
 * size and SHA-256 listed there, and every input has the content hash recorded when the output was made (an output
 * made from an input that was since recomputed with other bytes is recomputed too). Otherwise the producer fills the
 * hidden staging directory {@code .<hash>.staging}, which is renamed into place only after the manifest is written: a
 * producer that throws, or a run that is killed, leaves nothing that counts as present. A damaged file, manifests
 * included, is a {@link org.icmlora.store.CorruptArtifactException} naming the file and the repair command; damage
 * in the output's own work directory makes the store start the output again from scratch.
 *
 * <h2>Recovery</h2>
 * {@link org.icmlora.store.ArtifactStore#check} lists damaged and stale outputs,
 * {@link org.icmlora.store.ArtifactStore#removeWithDependents} and {@link org.icmlora.store.ArtifactStore#clean}
 * remove outputs together with every output made from them, and
 * {@link org.icmlora.store.ArtifactStore#removeLeftovers} removes what killed runs left (staging directories, work
 * directories of finished outputs) while keeping the work a rerun resumes from.
 */
package org.icmlora.store;
