/**
 * The prompt-conditioned detector that stands in for Florence-2: a small convolutional backbone, transformer blocks
 * over grid cells and one prompt token, and a grid head decoded into boxes ({@link
 * org.icmlora.models.detector.GridCodec}); every linear layer of the blocks is a {@link org.icmlora.lora.LoraLinear}.
 */
package org.icmlora.models.detector;
