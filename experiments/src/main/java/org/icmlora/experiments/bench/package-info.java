/**
 * Speed and memory benchmarks: harnesses with a {@code main} that print figures, each beside a peer measured in the
 * same run (DJL's own matrix-multiplication rate, the textbook transposed convolution), with the thread count and the
 * machine's load. Run them with {@code bash environment/bench.sh NAME}; they are not tests and assert nothing about
 * time.
 */
package org.icmlora.experiments.bench;
