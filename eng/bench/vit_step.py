"""The PyTorch baseline for `cloudassembly bench`: the same ViT (timm 0.3.2 layout, as Deep Model Assembling builds
it) and the same training step (soft-target cross-entropy, backward, clip 1.0, AdamW), timed the same way: warm-up
steps, then N timed steps between device synchronisations. Prints one line per variant:
    pytorch-<variant> <img/s> <ms/step>
Variants: fp32; amp (fp32 weights + bf16 autocast, what --use_amp 1 does); bf16 (bf16 weights); compile (amp under
torch.compile, torch >= 2 only)."""
import argparse, math, time
import torch, torch.nn as nn, torch.nn.functional as F

MODELS = {  # name: (img, patch, channels, dim, heads, depth, qkv_bias, eps)
    "vit_base_patch16_224": (224, 16, 3, 768, 12, 12, True, 1e-6),
    "vit_large_patch16_224": (224, 16, 3, 1024, 16, 24, True, 1e-6),
    "vit_huge_patch14_224": (224, 14, 3, 1280, 16, 32, False, 1e-5),
    "vit_mini_patch4_28": (28, 4, 1, 64, 4, 8, True, 1e-6),
    "deit_tiny_patch4_32": (32, 4, 3, 192, 3, 12, True, 1e-6),
}
SDPA = hasattr(F, "scaled_dot_product_attention")

class Block(nn.Module):
    def __init__(s, d, h, qkv_bias, eps, dp):
        super().__init__(); s.h, s.dp = h, dp
        s.norm1 = nn.LayerNorm(d, eps=eps); s.qkv = nn.Linear(d, 3 * d, bias=qkv_bias); s.proj = nn.Linear(d, d)
        s.norm2 = nn.LayerNorm(d, eps=eps); s.fc1 = nn.Linear(d, 4 * d); s.fc2 = nn.Linear(4 * d, d)
    def drop(s, x):
        if not s.training or s.dp == 0: return x
        keep = 1 - s.dp
        return x.div(keep) * (keep + torch.rand(x.shape[0], 1, 1, dtype=x.dtype, device=x.device)).floor_()
    def forward(s, x):
        B, N, C = x.shape
        q, k, v = s.qkv(s.norm1(x)).reshape(B, N, 3, s.h, C // s.h).permute(2, 0, 3, 1, 4)
        if SDPA: a = F.scaled_dot_product_attention(q, k, v)
        else: a = ((q @ k.transpose(-2, -1)) * (C // s.h) ** -0.5).softmax(-1) @ v
        x = x + s.drop(s.proj(a.transpose(1, 2).reshape(B, N, C)))
        return x + s.drop(s.fc2(F.gelu(s.fc1(s.norm2(x)))))

class ViT(nn.Module):
    def __init__(s, img, p, c, d, h, depth, qkv_bias, eps, classes, drop_path):
        super().__init__()
        s.patch_embed = nn.Conv2d(c, d, p, p)
        s.cls_token = nn.Parameter(torch.zeros(1, 1, d)); s.pos_embed = nn.Parameter(torch.zeros(1, (img // p) ** 2 + 1, d))
        s.blocks = nn.ModuleList([Block(d, h, qkv_bias, eps, drop_path * i / max(depth - 1, 1)) for i in range(depth)])
        s.norm = nn.LayerNorm(d, eps=eps); s.head = nn.Linear(d, classes)
        nn.init.trunc_normal_(s.pos_embed, std=.02); nn.init.trunc_normal_(s.cls_token, std=.02)
    def forward(s, x):
        x = s.patch_embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([s.cls_token.expand(x.shape[0], -1, -1), x], 1) + s.pos_embed
        for b in s.blocks: x = b(x)
        return s.head(s.norm(x)[:, 0])

def run(variant, args, device):
    torch.manual_seed(0)
    img, p, c, d, h, depth, qkv_bias, eps = MODELS[args.model]
    model = ViT(img, p, c, d, h, depth, qkv_bias, eps, args.classes, 0.1).to(device)
    if variant == "bf16": model = model.to(torch.bfloat16)
    decay = [q for n, q in model.named_parameters() if q.ndim > 1 and n not in ("cls_token", "pos_embed")]
    rest = [q for n, q in model.named_parameters() if not (q.ndim > 1 and n not in ("cls_token", "pos_embed"))]
    opt = torch.optim.AdamW([{"params": rest, "weight_decay": 0.0}, {"params": decay, "weight_decay": 0.05}], lr=1e-3)
    x = torch.randn(args.batch, c, img, img, device=device, dtype=torch.bfloat16 if variant == "bf16" else torch.float32)
    y = torch.randint(0, args.classes, (args.batch,), device=device)
    target = F.one_hot(y, args.classes).float() * 0.9 + 0.1 / args.classes
    amp = variant in ("amp", "compile")
    forward = torch.compile(model) if variant == "compile" else model
    def step():
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=amp):
            logits = forward(x)
        loss = torch.sum(-target * F.log_softmax(logits.float(), -1), -1).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step(); opt.zero_grad(set_to_none=True)
    for _ in range(args.warmup): step()
    sync = (lambda: torch.cuda.synchronize()) if device.type == "cuda" else (lambda: None)
    sync(); t = time.perf_counter()
    for _ in range(args.steps): step()
    sync(); dt = time.perf_counter() - t
    print(f"pytorch-{variant} {args.batch * args.steps / dt:.1f} {1000 * dt / args.steps:.1f}", flush=True)

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="vit_base_patch16_224"); ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--classes", type=int, default=1000); ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5); ap.add_argument("--device", default="cuda")
    ap.add_argument("--variants", default="fp32,amp,bf16,compile")
    a = ap.parse_args()
    dev = torch.device(a.device)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True; torch.backends.cudnn.allow_tf32 = True; torch.backends.cudnn.benchmark = True
    for v in a.variants.split(","):
        if v == "compile" and not hasattr(torch, "compile"): continue
        run(v, a, dev)
