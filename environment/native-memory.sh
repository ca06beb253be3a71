# glibc's allocator settings for the JVMs that run PyTorch, sourced by icmlora.sh, bench.sh and test.sh; setup.sh
# writes the same values into the notebooks' kernelspec. By default glibc hands out each block above its mmap threshold
# (128 KiB, raised as blocks are freed, at most 32 MiB) as fresh pages from the kernel and returns them on free, so the
# multi-megabyte tensors of every training step and evaluation cost page faults and system time again and again. These
# keep blocks of up to 32 MiB in the heap and give freed heap back to the system only once 4 GiB of it are free.
# Measured in README's speed section ("The allocator"). A value set outside wins.
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-33554432}
export MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-4294967296}
