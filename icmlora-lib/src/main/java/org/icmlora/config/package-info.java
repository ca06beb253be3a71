/**
 * Configuration as text: {@link org.icmlora.config.Settings} reads a profile file ({@code key = value} lines) and
 * applies overrides ({@code --set key=value}), remembering where every value came from; {@link
 * org.icmlora.config.ConfigBinder} builds the kit's configuration records from it by their component names, so a
 * key is always the Java name of what it sets ({@code cvae.depth} is {@code CvaeConfig.depth}). Errors name the key,
 * the file and line or the override, and list the valid keys.
 */
package org.icmlora.config;
