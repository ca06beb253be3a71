/**
 * The kit's files as the Python libraries its users use read them: its GPT as a Hugging Face GPT-2 checkpoint
 * ({@link org.icmlora.experiments.interop.Gpt2Checkpoint}), its adapters on GPT-2's modules for PEFT ({@link
 * org.icmlora.experiments.interop.Gpt2Modules}), and the main that writes both with the kit's own log-probabilities
 * for {@code environment/check-interop.sh} ({@link org.icmlora.experiments.interop.InteropExport}).
 */
package org.icmlora.experiments.interop;
