package org.icmlora.data.scenes;

/**
 * Which garment photographs a scene may use. Training and validation scenes draw on disjoint parts of the package's
 * training images, test scenes only on its test images, so no photograph is seen in training and test.
 */
public enum SceneSplit {
    /** Fashion-MNIST training images 0 to 49,999. */
    TRAIN,
    /** Fashion-MNIST training images 50,000 to 59,999. */
    VALIDATION,
    /** All 10,000 Fashion-MNIST test images. */
    TEST
}
