/**
 * The sentence encoder: all-MiniLM-L6-v2 (int8 ONNX, from a Maven jar), which embeds detection prompts and task
 * descriptions (the paper uses CLIP's text encoder).
 */
package org.icmlora.models.text;
