/**
 * The pieces of the held-out experiment that need no model: the folds over tasks ({@link
 * org.icmlora.experiments.heldout.TaskFolds}), the nearest training task by condition ({@link
 * org.icmlora.experiments.heldout.NearestTask}) and the share of the oracle's gain a method recovers, with a bootstrap
 * interval over tasks ({@link org.icmlora.experiments.heldout.RecoveredShare}).
 */
package org.icmlora.experiments.heldout;
