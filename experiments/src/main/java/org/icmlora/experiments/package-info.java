/**
 * One class per paper table or figure ({@link org.icmlora.experiments.Experiment}, listed in {@link
 * org.icmlora.experiments.Experiments}), the run's configuration ({@link org.icmlora.experiments.KitConfig} from the
 * profile files under {@code experiments/profiles/}, overridden with {@code --set}), the paper's numbers ({@link
 * org.icmlora.experiments.PaperTables}), results and the command line ({@link org.icmlora.experiments.Cli}).
 */
package org.icmlora.experiments;
