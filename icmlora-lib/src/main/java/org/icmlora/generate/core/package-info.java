/**
 * What every generator shares: the {@link org.icmlora.generate.core.LoraGenerator} interface, the sealed {@link
 * org.icmlora.generate.core.GeneratorConfig} with one configuration per method, the training data ({@link
 * org.icmlora.generate.core.TrainingSet}), normalisation of adapters and conditions, the on-disk format ({@link
 * org.icmlora.generate.core.GeneratorFiles}) and the skeleton of the two trained generators ({@link
 * org.icmlora.generate.core.NeuralGenerator}).
 */
package org.icmlora.generate.core;
