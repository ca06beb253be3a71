/**
 * Where the pipeline keeps its outputs, and how they are written so that a crash never leaves a half-written one.
 *
 * <h2>Atomic writes</h2>
 * {@link org.icmlora.store.AtomicFiles} writes a file to a temporary name in the same directory, forces it to disk
 * and renames it over the target in one step; readers see the old file or the new one, never a part.
 *
 * <h2>Stage keys</h2>
 * {@link org.icmlora.store.ArtifactStore#key} names a stage output by a hash of the stage name, its configuration as
 * JSON (object members sorted by name, so map iteration order never matters) and the keys of its inputs. Changing a
 * parameter changes the key of that stage and of every stage downstream of it; nothing else is recomputed.
 *
 * <h2>Outputs and resume</h2>
 * {@link org.icmlora.store.ArtifactStore#getOrCompute} reuses {@code <root>/<stage>/<hash>/} when its
 * {@code manifest.json} exists and every file matches the size and SHA-256 listed there (else it reports the file as
 * a {@link org.icmlora.store.CorruptArtifactException}). Otherwise the producer fills a fresh hidden staging directory,
 * which is renamed into place only after the manifest is written: a producer that throws, or a run that is killed,
 * leaves nothing that counts as present, and leftover staging directories are ignored. Long work keeps its partial
 * state (for example training checkpoints and a {@link org.icmlora.lora.AdapterSeries}) in {@link org.icmlora.store.ArtifactStore#workDir},
 * which survives failures so a rerun continues where the last one stopped, and is deleted once the output is complete.
 */
package org.icmlora.store;
