/**
 * The small byte-level GPT that stands in for Llama-3 in the language track, its tokenizers, its weights in GPT-2's
 * layout, and the hidden states that Eq. 1 averages ({@link org.icmlora.models.gpt.HiddenStates}).
 */
package org.icmlora.models.gpt;
