/**
 * Statistics of a run with several seeds: {@link org.icmlora.stats.Summary} (mean ± sd over seeds), paired {@link
 * org.icmlora.stats.Bootstrap} intervals for a difference between two methods over test items and seeds, and {@link
 * org.icmlora.stats.Readings}, the sentences generated from those intervals.
 */
package org.icmlora.stats;
