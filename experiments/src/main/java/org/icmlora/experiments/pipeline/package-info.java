/**
 * The stages experiments share on top of the library's tracks: opening the run's tracks ({@link
 * org.icmlora.experiments.pipeline.Tracks}), the table rows ({@link org.icmlora.experiments.pipeline.Method}), fitting
 * a generator on a track ({@link org.icmlora.experiments.pipeline.GeneratorStage}), drawing adapters from it ({@link
 * org.icmlora.experiments.pipeline.GeneratedAdapters}) and evaluating a method on a task ({@link
 * org.icmlora.experiments.pipeline.MethodEvaluation}), each cached in the artifact store; and which kit task
 * stands in for which of the paper's ({@link org.icmlora.experiments.pipeline.PaperNames}).
 */
package org.icmlora.experiments.pipeline;
