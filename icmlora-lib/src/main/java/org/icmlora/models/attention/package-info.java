/** Multi-head self-attention shared by the GPT and the detector. */
package org.icmlora.models.attention;
