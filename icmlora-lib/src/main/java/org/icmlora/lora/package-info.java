/**
 * LoRA for DJL models: adapters, the flat adapter vector, and adapters on disk in PEFT's format.
 *
 * <h2>Adapters</h2>
 * A model built for the kit uses {@link org.icmlora.lora.LoraLinear} for every linear layer that LoRA may target, each
 * with a stable name such as {@code blocks.0.attn.q}. {@link org.icmlora.lora.LoraAdapters#inject} attaches an adapter
 * to every layer whose name fully matches a target pattern of the {@link org.icmlora.lora.LoraConfig} and freezes all
 * other parameters; only A [r, in] and B [out, r] train. The layer computes
 * {@code y = x W^T + b + s * (dropout(x) A^T) B^T} with {@code s = alpha / r} (standard) or
 * {@code s = alpha / sqrt(r)} (rank-stabilised, the reference code's choice). B starts at zero, so a fresh adapter
 * leaves the model's outputs unchanged; A starts Kaiming-uniform ({@code U(-1/sqrt(in), 1/sqrt(in))}) or Gaussian
 * (std {@code 1/r}), as PEFT does. Dropout acts on the adapter's input during training only.
 * {@link org.icmlora.lora.LoraAdapters#merge} folds {@code s B A} into W for inference and
 * {@link org.icmlora.lora.LoraAdapters#unmerge} takes it out again.
 *
 * <h2>The flat vector</h2>
 * {@link org.icmlora.lora.LoraLayout} fixes where every adapter number lives: layers sorted by name with digit runs
 * compared as numbers ({@link org.icmlora.lora.LayerNameOrder}: {@code blocks.2} before {@code blocks.10}); per layer
 * A (row-major) and then B (row-major). Its length P is the parameter count of the paper's Table 4;
 * {@link org.icmlora.lora.LoraAdapters#layoutFor} computes it for any model and configuration without training. A
 * vector of the wrong length, with NaN/Inf, or for another layout is refused with a message saying which.
 *
 * <h2>Adapters on disk</h2>
 * {@link org.icmlora.lora.Adapter} is an adapter that describes itself: its {@link org.icmlora.lora.LoraConfig}, its
 * layout and its values; {@link org.icmlora.lora.Adapter#applyTo} is the one way to build "base model + adapter".
 * It is saved as the directory Hugging Face PEFT writes ({@code adapter_model.safetensors} with PEFT's keys
 * {@code base_model.model.<module>.lora_A.weight}, {@code adapter_config.json}), which PEFT loads as it is, plus the
 * kit's sidecar {@code icmlora.json} (exact configuration, layout, epoch, metrics, size and SHA-256 of both files),
 * written last ({@link org.icmlora.lora.AdapterFiles}): a directory is complete exactly when its sidecar exists, and
 * loading names a truncated or altered file. Module paths are the layer names, or GPT-2's through
 * {@link org.icmlora.lora.PeftNameMap#gpt2()}. {@link org.icmlora.lora.AdapterSeries} keeps the last K of N epochs of
 * one task as {@code epoch-<n>/} adapters, always ordered by numeric epoch (never by name, the reference code's bug).
 */
package org.icmlora.lora;
