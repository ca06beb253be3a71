/**
 * The language-modelling track: the small GPT pretrained on a general corpus, one task per text domain, PPL and BPC
 * ({@link org.icmlora.tracks.language.LanguageTrack}).
 */
package org.icmlora.tracks.language;
