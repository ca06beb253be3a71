package org.icmlora.data.scenes;

/** One garment placed in a scene and its exact box (the extent of its visible object pixels at placement). */
public record SceneObject(Garment garment, Box box) {}
