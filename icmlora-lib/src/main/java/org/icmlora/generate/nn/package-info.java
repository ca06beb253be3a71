/**
 * Building blocks the generators share and DJL lacks: a polyphase transposed 1-D convolution
 * ({@link org.icmlora.generate.nn.TransposedConv1d}, exact against a direct loop in forward and gradient; all output
 * phases as one convolution, so no multiplication is spent on inserted zeros), instance normalisation,
 * parameter (de)serialisation to named arrays, numbered checkpoints ordered numerically, and
 * the resumable, seeded epoch loop with progress logs.
 */
package org.icmlora.generate.nn;
