package org.icmlora.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A JVM in which something touches DJL before the kit does, as a notebook cell may: DJL then starts PyTorch with
 * one thread per core. Prints the kit's description and then the thread counts PyTorch really uses, intra-op and
 * inter-op, for {@link KitEngineTest}.
 */
public final class EngineStartWorker {

    private EngineStartWorker() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("djl-first")) {
            Engine.getInstance();
        }
        System.out.println(KitEngine.describe());
        System.out.println(JniUtils.getNumThreads() + " " + JniUtils.getNumInteropThreads());
    }
}
