package org.icmlora.generate.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The step count the P-DIFF budget is computed from is the number of batches an epoch really takes. */
class PreparedDataTest {

    @Test
    void batchCountIsTheNumberOfBatchesAnEpochDraws() {
        for (int tasks = 1; tasks <= 4; tasks++) {
            for (int checkpoints = 1; checkpoints <= 5; checkpoints++) {
                TrainingSet set = SyntheticAdapters.series(tasks, checkpoints, 3);
                PreparedData data = new PreparedData(set, Standardization.fit(set,
                        AdapterNormalizer.Scheme.PER_TENSOR), set.adapterLength());
                for (int batch = 2; batch <= 9; batch++) {
                    assertEquals(data.batches(batch, new Random(1)).size(), PreparedData.batchCount(set.size(), batch),
                            set.size() + " pairs in batches of " + batch);
                }
            }
        }
        assertEquals(3, PreparedData.batchCount(25, 8), "8 + 8 + 8, the single last pair waits for the next epoch");
    }
}
