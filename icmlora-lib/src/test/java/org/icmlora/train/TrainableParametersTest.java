package org.icmlora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;
import org.icmlora.engine.KitEngine;
import org.icmlora.lora.LoraAdapters;
import org.icmlora.lora.LoraConfig;
import org.icmlora.lora.LoraLinear;
import org.junit.jupiter.api.Test;

class TrainableParametersTest {

    @Test
    void batchNormStatisticsAreNotTrainable() {
        try (NDManager manager = KitEngine.newManager()) {
            SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(3).build())
                    .add(BatchNorm.builder().build());
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 4));
            assertEquals(List.of("01Linear_weight", "01Linear_bias", "02BatchNorm_gamma", "02BatchNorm_beta"),
                    List.copyOf(TrainableParameters.of(block).keySet()));
        }
    }

    @Test
    void afterLoraInjectionOnlyTheAdaptersAreTrainable() {
        try (NDManager manager = KitEngine.newManager()) {
            SequentialBlock block = new SequentialBlock().add(new LoraLinear("fc", 4, 3, true))
                    .add(new LoraLinear("head", 3, 2, true));
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 4));
            LoraAdapters.inject(block, LoraConfig.of(1, "fc"), manager);
            assertEquals(List.of("01LoraLinear_lora_A", "01LoraLinear_lora_B"), List.copyOf(TrainableParameters.of(block).keySet()));
        }
    }
}
