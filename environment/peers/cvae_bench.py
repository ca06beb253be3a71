"""The PyTorch peer of the kit's CVAE benchmark: the paper's generator (12 conv layers, latent 256, channels
8..256, AdamW) trained in PyTorch eager on the same synthetic data, then one table beside the kit's figures.

    python cvae_bench.py KIT_OUTPUT [EPOCHS]

KIT_OUTPUT is what the kit's CvaeBenchmark printed in the same run (environment/bench-vs-pytorch.sh). The network
follows org.icmlora.generate.cvae.CvaeModel and CvaeArchitecture: encoder n x (Conv1d k7 p3 stride 2 -> BatchNorm
-> LeakyReLU 0.01), Linear to the latent, the condition concatenated, fc_mu and fc_logvar; decoder Linear ->
n x (ConvTranspose1d k7 p3 stride 2 output padding 1 -> BatchNorm -> ELU) -> Conv1d k7 p3 to one channel; loss MSE +
0.005 KL; AdamW lr 2e-4, no weight decay. Each case: 8 pairs (condition of 384 values), a one-epoch warm-up on a
fresh model, then a fresh model trained EPOCHS epochs (default 3); samples/s = pairs processed / wall time of that
fit, as the kit measures it. Threads: torch.set_num_threads(ICMLORA_THREADS, default 1).
"""
import math
import os
import re
import sys
import time

import torch
from torch import nn

DEPTH, LATENT, BASE_CHANNELS, MAX_CHANNELS = 12, 256, 8, 256
CONDITION, PAIRS, KERNEL, PADDING = 384, 8, 7, 3
KL_WEIGHT, LEARNING_RATE = 0.005, 2e-4


def plan(length):
    """Encoder channels, strided layers S and the padded length, as CvaeArchitecture.plan computes them."""
    channels = [min(BASE_CHANNELS << min(i, DEPTH - 1 - i), MAX_CHANNELS) for i in range(DEPTH)]
    strided = min(DEPTH, math.ceil(math.log2(length)) if length > 1 else 0)
    unit = 1 << strided
    return channels, strided, (length + unit - 1) // unit * unit


class Cvae(nn.Module):
    def __init__(self, length):
        super().__init__()
        channels, strided, self.padded = plan(length)
        self.bottleneck = (channels[-1], self.padded >> strided)
        layers, width = [], 1
        for i, c in enumerate(channels):
            layers += [nn.Conv1d(width, c, KERNEL, stride=2 if i < strided else 1, padding=PADDING),
                       nn.BatchNorm1d(c), nn.LeakyReLU(0.01)]
            width = c
        self.encoder = nn.Sequential(*layers)
        self.encoder_head = nn.Linear(channels[-1] * self.bottleneck[1], LATENT)
        self.fc_mu = nn.Linear(LATENT + CONDITION, LATENT)
        self.fc_logvar = nn.Linear(LATENT + CONDITION, LATENT)
        self.decoder_input = nn.Linear(LATENT + CONDITION, channels[-1] * self.bottleneck[1])
        layers = []
        for j in range(DEPTH):
            stride = 1 if j < DEPTH - strided else 2
            out = channels[DEPTH - 2 - j] if j + 1 < DEPTH else channels[0]
            layers += [nn.ConvTranspose1d(channels[DEPTH - 1 - j], out, KERNEL, stride=stride, padding=PADDING,
                                          output_padding=stride - 1), nn.BatchNorm1d(out), nn.ELU()]
        self.decoder = nn.Sequential(*layers)
        self.output_conv = nn.Conv1d(channels[0], 1, KERNEL, padding=PADDING)

    def forward(self, x, c):
        batch = x.shape[0]
        h = torch.cat([self.encoder_head(self.encoder(x.view(batch, 1, -1)).flatten(1)), c], 1)
        mu, logvar = self.fc_mu(h), self.fc_logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        h = self.decoder_input(torch.cat([z, c], 1)).view(batch, *self.bottleneck)
        return self.output_conv(self.decoder(h)).view(batch, -1), mu, logvar


def fit(length, batch, epochs, data):
    """Seconds to train a fresh model for `epochs` epochs over the pairs, batch by batch."""
    vectors, conditions = data
    model = Cvae(length).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.0)
    started = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(PAIRS)
        for start in range(0, PAIRS, batch):
            pick = order[start:start + batch]
            x, c = vectors[pick], conditions[pick]
            reconstruction, mu, logvar = model(x, c)
            mse = (reconstruction - x).square().mean()
            kl = (-0.5 * (1 + logvar - mu.square() - logvar.exp()).sum(1)).mean()
            optimizer.zero_grad(set_to_none=True)
            (mse + KL_WEIGHT * kl).backward()
            optimizer.step()
    return time.perf_counter() - started


def synthetic(length):
    """8 pairs as the kit's benchmark makes them: two tasks, conditions i % 2 + j / 384, vectors N(0, 0.01^2)."""
    generator = torch.Generator().manual_seed(1)
    vectors = torch.randn(PAIRS, plan(length)[2], generator=generator) * 0.01
    vectors[:, length:] = 0  # the kit zero-pads to the padded length
    conditions = torch.tensor([[(i % 2) + j / CONDITION for j in range(CONDITION)] for i in range(PAIRS)])
    return vectors, conditions


def kit_figures(path):
    """{(length, batch): samples/s} from the kit's benchmark output lines 'length | batch | samples/s | ...'."""
    figures = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*(\d+) \| (\d+) \| ([0-9.]+) \|", line)
            if m:
                figures[(int(m.group(1)), int(m.group(2)))] = float(m.group(3))
    return figures


def main():
    kit = kit_figures(sys.argv[1])
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    threads = int(os.environ.get("ICMLORA_THREADS", "1"))
    torch.set_num_threads(threads)
    torch.manual_seed(2024)
    print(f"PyTorch {torch.__version__} eager, CPU, {torch.get_num_threads()} threads, depth {DEPTH}, latent "
          f"{LATENT}, {PAIRS} pairs, {epochs} epochs per case")
    print("adapter length | batch | kit samples/s | PyTorch samples/s | kit / PyTorch")
    for length in (16_384, 65_536):
        data = synthetic(length)
        for batch in (2, 8):
            fit(length, batch, 1, data)  # warm-up
            seconds = fit(length, batch, epochs, data)
            peer = epochs * PAIRS / seconds
            ours = kit.get((length, batch))
            ratio = f"{ours / peer:.2f}" if ours else "n/a (no kit figure)"
            print(f"{length} | {batch} | {ours if ours else float('nan'):.2f} | {peer:.2f} | {ratio}", flush=True)


if __name__ == "__main__":
    main()
