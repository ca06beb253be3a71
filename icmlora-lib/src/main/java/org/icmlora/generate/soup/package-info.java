/**
 * Model Soup (uniform soup) as a LoRA "generator".
 *
 * <p><b>Definition (default).</b> The soup of a layer is the mean of the merged weight changes {@code s * B_i * A_i}
 * over all training checkpoints of all tasks: one soup, served for every task (the paper's plain reading; its Table 3
 * storage growing with rank fits a stored adapter-sized soup). Because the kit evaluates adapters of the layout's rank
 * r, the mean delta (rank up to N * r) is stored as its best rank-r approximation (truncated SVD, Eckart-Young), with
 * the relative truncation error reported per layer. Options: per-task soups (each task's own checkpoints, served to
 * the task with the nearest task vector), and averaging A and B separately, which is not the same model:
 * {@code mean(B) mean(A) != mean(B A)}. Storage is the stored soup vectors.
 */
package org.icmlora.generate.soup;
