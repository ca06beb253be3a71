package org.icmlora.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerNameOrderTest {

    @Test
    void digitRunsCompareAsNumbersAndPrefixesComeFirst() {
        List<String> names = new ArrayList<>(List.of("head", "blocks.10.attn.q", "blocks.2.attn.q", "blocks.100.attn.q",
                "blocks.2.attn.k", "blocks.1.mlp.fc", "blocks.2", "blocks.02.attn.v"));
        names.sort(LayerNameOrder.INSTANCE);
        assertEquals(List.of("blocks.1.mlp.fc", "blocks.2", "blocks.2.attn.k", "blocks.2.attn.q", "blocks.02.attn.v",
                "blocks.10.attn.q", "blocks.100.attn.q", "head"), names);
    }
}
