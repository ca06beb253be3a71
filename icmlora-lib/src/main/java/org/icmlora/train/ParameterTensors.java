package org.icmlora.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Moves a block's parameters (BatchNorm running statistics included) into named arrays for safetensors files, and
 * back. Names are DJL's hierarchical parameter names prefixed by {@code prefix}, so several blocks can share a file.
 */
public final class ParameterTensors {

    private ParameterTensors() {}

    /** Copies of every parameter of {@code block}, named {@code prefix + parameterName}, owned by {@code manager}. */
    public static NDList export(Block block, String prefix, NDManager manager) {
        NDList list = new NDList();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray copy = entry.getValue().getArray().duplicate();
            copy.attach(manager);
            copy.setName(prefix + entry.getKey());
            list.add(copy);
        }
        return list;
    }

    /** Overwrites every parameter of {@code block} with the array named {@code prefix + parameterName}. */
    public static void restore(Block block, String prefix, NDList stored, String source) {
        for (Pair<String, Parameter> entry : block.getParameters()) {
            String name = prefix + entry.getKey();
            NDArray value = stored.get(name);
            if (value == null) {
                throw new IllegalArgumentException(source + " lacks parameter " + name
                        + "; it was written by a generator of another architecture or configuration");
            }
            NDArray target = entry.getValue().getArray();
            if (!target.getShape().equals(value.getShape())) {
                throw new IllegalArgumentException(source + ": parameter " + name + " has shape " + value.getShape()
                        + ", the model needs " + target.getShape());
            }
            target.set(value.toByteBuffer());
        }
    }
}
