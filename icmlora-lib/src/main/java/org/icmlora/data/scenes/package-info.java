/**
 * Detection scenes composed on demand from Fashion-MNIST photographs: a seed gives the same picture every time, so no
 * scene is stored ({@link org.icmlora.data.scenes.SceneComposer}).
 */
package org.icmlora.data.scenes;
