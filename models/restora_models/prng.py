"""mulberry32: the one PRNG behind every degradation parameter.

Chosen because it is a few lines in TypeScript (Math.imul) and its state after
i steps is closed-form (seed + i*0x6D2B79F5), so a whole block of uniforms can
be drawn vectorised in numpy and still match a sequential JS loop bit-exactly.
"""
import math

import numpy as np

M32 = 0xFFFFFFFF
STEP = 0x6D2B79F5


def _imul(a, b):
    return (a * b) & M32


class Mulberry32:
    def __init__(self, seed):
        self.a = int(seed) & M32

    def next_u32(self):
        self.a = (self.a + STEP) & M32
        t = self.a
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & M32
        return (t ^ (t >> 14)) & M32

    def next(self):
        """Uniform float in [0, 1)."""
        return self.next_u32() / 4294967296.0

    def uniform(self, lo, hi):
        return lo + (hi - lo) * self.next()

    def randint(self, lo, hi):
        """Integer in [lo, hi] inclusive."""
        return lo + int(math.floor(self.next() * (hi - lo + 1)))

    def chance(self, p):
        return self.next() < p

    def seed32(self):
        """A fresh uint32 seed for a pixel-level noise block."""
        return self.next_u32()


def uniform_block(seed, n):
    """The first n outputs of Mulberry32(seed).next() as float64, vectorised."""
    i = np.arange(1, n + 1, dtype=np.uint64)
    a = (np.uint64(int(seed) & M32) + i * np.uint64(STEP)) & np.uint64(M32)
    m = np.uint64(M32)
    t = ((a ^ (a >> np.uint64(15))) * (a | np.uint64(1))) & m
    t = t ^ ((t + (((t ^ (t >> np.uint64(7))) * (t | np.uint64(61))) & m)) & m)
    t = (t ^ (t >> np.uint64(14))) & m
    return t.astype(np.float64) / 4294967296.0


def gaussian_block(seed, n):
    """n standard normals by Box-Muller on consecutive uniform pairs (u1, u2):
    z = sqrt(-2 ln(1 - u1)) * cos(2 pi u2)."""
    u = uniform_block(seed, 2 * n)
    u1, u2 = u[0::2], u[1::2]
    return np.sqrt(-2.0 * np.log(1.0 - u1)) * np.cos(2.0 * np.pi * u2)
