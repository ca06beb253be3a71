/**
 * The detection track: the prompt-conditioned detector on scenes composed from Fashion-MNIST photographs, one task per
 * garment category, COCO mAP50/mAP75 ({@link org.icmlora.tracks.detection.DetectionTrack}).
 */
package org.icmlora.tracks.detection;
