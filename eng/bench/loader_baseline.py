#!/usr/bin/env python3
"""The baseline for `cloudassembly bench loader`: what a user would otherwise run. It reads the same WebDataset tar
shards (image bytes by offset, labels from .cls), decodes with PIL and applies timm 0.3.2's DeiT training transform
with torchvision: RandomResizedCrop(224, bicubic) + flip + RandAugment rand-m9-mstd0.5-inc1 (timm's op set, written
here with PIL, since torchvision's RandAugment is a different policy) + ToTensor + Normalize + RandomErasing(0.25,
per-pixel noise), in a torch DataLoader with N worker processes. Prints one line per worker count:
  workers N: IPS images/s, PER images/s per worker, CPU images per CPU-second (IMAGES images in SECONDS s)"""
import argparse
import glob
import io
import os
import random
import resource
import tarfile
import time

import torch
from PIL import Image, ImageEnhance, ImageOps
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

MEAN, STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
FILL = tuple(round(255 * m) for m in MEAN)  # (124, 116, 104), timm's img_mean
BICUBIC = Image.BICUBIC


def negate(v):
    return -v if random.random() > 0.5 else v


def affine(img, matrix):
    return img.transform(img.size, Image.AFFINE, matrix, BICUBIC, fillcolor=FILL)


def solarize_add(img, m):
    add = int(m / 10 * 110)
    lut = [min(255, i + add) if i < 128 else i for i in range(256)]
    return img.point(lut * len(img.getbands()))


def posterize(img, m):
    bits = 4 - int(m / 10 * 4)
    return img if bits >= 8 else ImageOps.posterize(img, bits)


def enhance(kind):
    return lambda img, m: kind(img).enhance(1.0 + negate(m / 10 * 0.9))


# timm auto_augment._RAND_INCREASING_TRANSFORMS, with timm's level functions.
OPS = [
    lambda img, m: ImageOps.autocontrast(img),
    lambda img, m: ImageOps.equalize(img),
    lambda img, m: ImageOps.invert(img),
    lambda img, m: img.rotate(negate(m / 10 * 30), resample=BICUBIC, fillcolor=FILL),
    posterize,
    lambda img, m: ImageOps.solarize(img, 256 - int(m / 10 * 256)),
    solarize_add,
    enhance(ImageEnhance.Color),
    enhance(ImageEnhance.Contrast),
    enhance(ImageEnhance.Brightness),
    enhance(ImageEnhance.Sharpness),
    lambda img, m: affine(img, (1, negate(m / 10 * 0.3), 0, 0, 1, 0)),
    lambda img, m: affine(img, (1, 0, 0, negate(m / 10 * 0.3), 1, 0)),
    lambda img, m: affine(img, (1, 0, negate(m / 10 * 0.45) * img.size[0], 0, 1, 0)),
    lambda img, m: affine(img, (1, 0, 0, 0, 1, negate(m / 10 * 0.45) * img.size[1])),
]


class TimmRandAugment:
    """rand-m9-mstd0.5-inc1: 2 ops chosen with replacement, each applied with p 0.5 at magnitude N(9, 0.5) clipped to [0, 10]."""

    def __call__(self, img):
        for op in random.choices(OPS, k=2):
            if random.random() > 0.5:
                continue
            img = op(img, min(10.0, max(0.0, random.gauss(9, 0.5))))
        return img


class Shards(Dataset):
    def __init__(self, paths, transform):
        self.samples, self.transform = [], transform
        for path in paths:
            with tarfile.open(path) as tar:
                images, labels = {}, {}
                for member in tar:
                    key, ext = member.name.split(".", 1)
                    if ext == "cls":
                        labels[key] = int(tar.extractfile(member).read())
                    else:
                        images[key] = (member.offset_data, member.size)
                self.samples += [(path, *images[k], labels[k]) for k in sorted(images)]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, offset, size, label = self.samples[i]
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read(size)
        return self.transform(Image.open(io.BytesIO(data)).convert("RGB")), label


def cpu_seconds(pids):
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def run(dataset, workers, batch, warmup):
    # Persistent workers outlive the epoch, so their CPU time can still be read at its end.
    loader = DataLoader(dataset, batch_size=batch, shuffle=True, num_workers=workers, drop_last=True, persistent_workers=True)
    it = iter(loader)
    for _ in range(warmup):
        next(it)
    pids = [w.pid for w in it._workers]
    own = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = own.ru_utime + own.ru_stime + cpu_seconds(pids)
    start = time.perf_counter()
    images = sum(len(labels) for _, labels in it)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF)
    cpu = own.ru_utime + own.ru_stime + cpu_seconds(pids) - cpu0
    del it
    return images, seconds, cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shards", required=True, help="folder of train-*.tar shards")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    transform = T.Compose([
        T.RandomResizedCrop(args.size, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3), interpolation=T.InterpolationMode.BICUBIC),
        T.RandomHorizontalFlip(),
        TimmRandAugment(),
        T.ToTensor(),
        T.Normalize(MEAN, STD),
        T.RandomErasing(p=0.25, value="random"),
    ])
    dataset = Shards(sorted(glob.glob(os.path.join(args.shards, "train-*.tar"))), transform)
    for workers in (int(w) for w in args.workers.split(",")):
        images, seconds, cpu = run(dataset, workers, args.batch, args.warmup)
        print(f"workers {workers}: {images / seconds:.1f} images/s, {images / seconds / workers:.1f} images/s per worker, "
              f"{images / cpu:.1f} images per CPU-second ({images} images in {seconds:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
