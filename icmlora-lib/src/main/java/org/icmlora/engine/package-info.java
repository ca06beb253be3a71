/**
 * The one place that talks to DJL's engine ({@link org.icmlora.engine.KitEngine}: offline mode, threads, device,
 * seeding), the kit's folders ({@link org.icmlora.engine.KitPaths}), profiles, the one way to derive a seed
 * ({@link org.icmlora.engine.Seeds}) and the work-around for DJL's constants in autograd graphs
 * ({@link org.icmlora.engine.Scalars}).
 */
package org.icmlora.engine;
