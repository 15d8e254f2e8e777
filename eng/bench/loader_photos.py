#!/usr/bin/env python3
"""Cuts random crops out of real photographs into an ImageNet-style folder (train/ and val/, one class per photo) for
the loader benchmark. Crops come at 1.5-2x an ImageNet-typical size (500x375, 375x500, 500x333, ...) as JPEG q95,
so that `dataset build --resize 375` pre-resizes them the way a real ImageNet version would be."""
import argparse
import os
import random

from PIL import Image

SIZES = [(500, 375), (375, 500), (500, 333), (333, 500), (500, 400), (400, 500), (500, 500), (500, 281)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", nargs="+", required=True, help="photographs, one class each")
    parser.add_argument("--out", required=True)
    parser.add_argument("--train", type=int, default=256, help="train crops per photo")
    parser.add_argument("--val", type=int, default=8, help="val crops per photo")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for path in sorted(args.photos):
        name = os.path.splitext(os.path.basename(path))[0].lower()
        photo = Image.open(path).convert("RGB")
        for split, count in (("train", args.train), ("val", args.val)):
            folder = os.path.join(args.out, split, name)
            os.makedirs(folder, exist_ok=True)
            for i in range(count):
                w, h = rng.choice(SIZES)
                up = rng.uniform(1.5, 2.0)
                tw, th = int(w * up), int(h * up)
                # A window of the crop's aspect ratio, between a third and all of what the photo allows.
                fit = min(photo.width / tw, photo.height / th)
                k = rng.uniform(min(fit, 1.0) / 3, fit) if fit > 0 else 1.0
                cw, ch = max(1, int(tw * k)), max(1, int(th * k))
                x, y = rng.randint(0, photo.width - cw), rng.randint(0, photo.height - ch)
                crop = photo.crop((x, y, x + cw, y + ch)).resize((tw, th), Image.BICUBIC)
                crop.save(os.path.join(folder, f"{i:04d}.jpg"), quality=95)
        print(f"{name}: {args.train} train and {args.val} val crops from {photo.width}x{photo.height}")


if __name__ == "__main__":
    main()
