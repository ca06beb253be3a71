/**
 * What notebooks show: Tablesaw tables as HTML, Plotly figures with the embedded offline plotly.js, pictures; {@link
 * org.icmlora.display.Show#show} is the one call a notebook cell makes.
 */
package org.icmlora.display;
