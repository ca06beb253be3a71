/** Plotly figures and picture montages the experiments draw. */
package org.icmlora.experiments.charts;
