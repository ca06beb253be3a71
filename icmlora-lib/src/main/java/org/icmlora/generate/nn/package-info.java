/**
 * Layers the generators need and DJL's PyTorch engine lacks: a 1-D transposed convolution
 * ({@link org.icmlora.generate.nn.TransposedConv1d}, polyphase: all output phases as one convolution, so no
 * multiplication is spent on inserted zeros; exact against a direct loop in forward and gradient) and instance
 * normalisation ({@link org.icmlora.generate.nn.InstanceNorm1d}).
 */
package org.icmlora.generate.nn;
