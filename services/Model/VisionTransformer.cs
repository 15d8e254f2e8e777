using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace CloudAssembly.Model;

/// <summary>
/// The official ViT (timm 0.3.2 <c>VisionTransformer</c> as Deep Model Assembling uses it): patch embedding, a class
/// token, learned position embeddings, pre-norm blocks, a final LayerNorm and a linear head on the class token.
/// Parameter names are the official state-dict keys. The <see cref="Stages"/> view splits the network into the K
/// modules of <see cref="VitConfig.Depths"/>, each with the official local key names. Initialisation and
/// drop-path draw from the generator given (a phase's or a rank's own, so that concurrent phases in one process do not
/// disturb each other), or from the process-global one when none is.
/// </summary>
public sealed class VisionTransformer : nn.Module<Tensor, Tensor>
{
    private readonly Autocast autocast = new();
    private readonly DropPathRandom dropPathRandom = new();
    private readonly PatchEmbed patch_embed;
    private readonly Parameter cls_token;
    private readonly Parameter pos_embed;
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;

    public VisionTransformer(VitConfig config, Generator? random = null) : base(config.Name)
    {
        Config = config;
        patch_embed = new PatchEmbed(config, autocast);
        cls_token = new Parameter(zeros(1, 1, config.EmbedDim));
        pos_embed = new Parameter(zeros(1, config.NumPatches + 1, config.EmbedDim));
        blocks = new ModuleList<Block>(config.DropPathRates().Select(r => new Block(config, r, autocast, dropPathRandom)).ToArray());
        norm = nn.LayerNorm(config.EmbedDim, eps: config.LayerNormEps);
        head = nn.Linear(config.EmbedDim, config.NumClasses);
        RegisterComponents();
        if (random is not null)
            RedrawDefaultInit(random);
        InitWeights(random);
        Stages = Enumerable.Range(0, config.NumStages).Select(i => new Stage(this, i)).ToArray();
    }

    public VitConfig Config { get; }

    /// <summary>The K modules, in order; each one a view on this network's parameters.</summary>
    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>
    /// When set (bf16 on CUDA), matrix products run in that type while the parameters stay fp32 master weights:
    /// the manual equivalent of <c>torch.autocast</c>, which TorchSharp does not have. LayerNorm, the residual
    /// stream and the logits stay fp32.
    /// </summary>
    public ScalarType? ComputeType
    {
        get => autocast.Type;
        set => autocast.Type = value;
    }

    /// <summary>The generator drop-path masks come from while training (null: the process-global one).</summary>
    public Generator? DropPathGenerator
    {
        get => dropPathRandom.Generator;
        set => dropPathRandom.Generator = value;
    }

    public override Tensor forward(Tensor images)
    {
        var x = patch_embed.call(images);
        var cls = cls_token.expand(x.shape[0], -1, -1).to(x.dtype);
        x = cat([cls, x], dim: 1).add(pos_embed, HeldScalars.One);
        foreach (var block in blocks)
            x = block.call(x);
        x = norm.call(x.to(ScalarType.Float32));
        return autocast.Linear(x.select(1, 0), head).to(ScalarType.Float32);
    }

    /// <summary>Every parameter under its official plain name (<c>cls_token</c>, <c>blocks.3.attn.qkv.weight</c>, ...).</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> NamedParameters() =>
        named_parameters().Select(p => (p.name, p.parameter)).ToArray();

    internal IEnumerable<(string Name, Parameter Parameter)> BlockParameters(int globalIndex) =>
        blocks[globalIndex].named_parameters().Select(p => (p.name, p.parameter));

    internal IEnumerable<(string Name, Parameter Parameter)> EmbeddingParameters()
    {
        yield return ("pos_embed", pos_embed);
        yield return ("cls_token", cls_token);
        foreach (var (name, p) in patch_embed.named_parameters())
            yield return ("patch_embed." + name, p);
    }

    internal IEnumerable<(string Name, Parameter Parameter)> HeadParameters()
    {
        yield return ("norm.weight", norm.weight!);
        yield return ("norm.bias", norm.bias!);
        yield return ("head.weight", head.weight!);
        yield return ("head.bias", head.bias!);
    }

    /// <summary>
    /// PyTorch's default init of every Conv2d and Linear (kaiming-uniform with a = √5, bias uniform ±1/√fan_in), drawn
    /// again from <paramref name="random"/> in construction order: the constructors drew it from the global generator,
    /// and redrawing it here makes a model built from a generator seeded with s equal, bit for bit, to one built
    /// after <c>manual_seed(s)</c>.
    /// </summary>
    private void RedrawDefaultInit(Generator random)
    {
        using var _ = no_grad();
        foreach (var module in DepthFirst(this))
        {
            var (weight, bias) = module switch
            {
                Conv2d c => (c.weight!, c.bias),
                Linear l => (l.weight!, l.bias),
                _ => ((Tensor?)null, (Tensor?)null),
            };
            if (weight is null)
                continue;
            var fanIn = weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
            var bound = Math.Sqrt(3.0) * (Math.Sqrt(2.0 / (1 + 5.0)) / Math.Sqrt(fanIn));
            weight.uniform_(-bound, bound, random);
            bias?.uniform_(-1 / Math.Sqrt(fanIn), 1 / Math.Sqrt(fanIn), random);
        }
    }

    // Pre-order is construction order here (named_modules() is breadth-first, which puts the head before the blocks).
    private static IEnumerable<nn.Module> DepthFirst(nn.Module module)
    {
        yield return module;
        foreach (var (_, child) in module.named_children())
            foreach (var m in DepthFirst(child))
                yield return m;
    }

    private void InitWeights(Generator? random)
    {
        using var _ = no_grad();
        TruncatedNormal.Fill(pos_embed, std: .02, random);
        TruncatedNormal.Fill(cls_token, std: .02, random);
        // timm's _init_weights: Linear ~ trunc_normal(.02) with zero bias, LayerNorm 1/0. The patch-embedding
        // Conv2d is not touched and keeps PyTorch's default (kaiming-uniform) init.
        foreach (var (_, module) in named_modules())
        {
            if (module is Linear linear)
            {
                TruncatedNormal.Fill(linear.weight!, std: .02, random);
                linear.bias?.zero_();
            }
            else if (module is LayerNorm layerNorm)
            {
                layerNorm.weight!.fill_(HeldScalars.One);
                layerNorm.bias!.zero_();
            }
        }
    }
}

/// <summary>Holds the compute type that every matrix product of one network casts to (null: fp32 throughout).</summary>
internal sealed class Autocast
{
    public ScalarType? Type { get; set; }

    public Tensor Linear(Tensor x, Linear layer)
    {
        if (Type is not { } t)
            return layer.call(x);
        return F.linear(x.to(t), layer.weight!.to(t), layer.bias?.to(t));
    }
}

/// <summary>
/// Holds the generator every block of one network draws its drop-path masks from. TorchSharp 0.107's generators are
/// CPU generators only, so on another device the few values are drawn on the host into pinned memory and copied
/// without blocking (a pageable copy would make the host wait for the GPU twice per block).
/// </summary>
internal sealed class DropPathRandom
{
    public Generator? Generator { get; set; }

    public Tensor Draw(long batch, ScalarType dtype, Device device)
    {
        if (Generator is null || device.type == DeviceType.CPU)
            return rand(batch, 1, 1, dtype: dtype, device: device, generator: Generator);
        using var host = rand(batch, 1, 1, dtype: dtype, generator: Generator);
        using var pinned = host.pin_memory();
        return pinned.to(device, non_blocking: true);
    }
}

/// <summary>Conv2d(C, D, k = p, s = p), flattened to (B, N, D) tokens. Like timm, it accepts only the exact input size.</summary>
internal sealed class PatchEmbed : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d proj;
    private readonly Autocast autocast;
    private readonly int imageSize, channels;

    public PatchEmbed(VitConfig config, Autocast autocast) : base("PatchEmbed")
    {
        proj = nn.Conv2d(config.InChannels, config.EmbedDim, config.PatchSize, stride: config.PatchSize);
        this.autocast = autocast;
        imageSize = config.ImageSize;
        channels = config.InChannels;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != channels || x.shape[2] != imageSize || x.shape[3] != imageSize)
            throw new ArgumentException(
                $"Input image size ({string.Join('x', x.shape)}) doesn't match the model ({channels}x{imageSize}x{imageSize}).");
        var y = autocast.Type is { } t
            ? F.conv2d(x.to(t), proj.weight!.to(t), proj.bias?.to(t), strides: [proj.stride[0], proj.stride[1]])
            : proj.call(x);
        return y.flatten(2).transpose(1, 2);
    }
}

internal sealed class Attention : nn.Module<Tensor, Tensor>
{
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly Autocast autocast;
    private readonly int heads;

    public Attention(VitConfig config, Autocast autocast) : base("Attention")
    {
        qkv = nn.Linear(config.EmbedDim, config.EmbedDim * 3, hasBias: config.QkvBias);
        proj = nn.Linear(config.EmbedDim, config.EmbedDim);
        this.autocast = autocast;
        heads = config.NumHeads;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        var t = autocast.Linear(x, qkv).reshape(b, n, 3, heads, c / heads).permute(2, 0, 3, 1, 4);
        // softmax(q kᵀ / √(C/H)) v; SDPA's implicit scale is exactly head_dim^-0.5, as in the official code.
        var a = F.scaled_dot_product_attention(t[0], t[1], t[2]);
        return autocast.Linear(a.transpose(1, 2).reshape(b, n, c), proj);
    }
}

internal sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Autocast autocast;

    public Mlp(VitConfig config, Autocast autocast) : base("Mlp")
    {
        fc1 = nn.Linear(config.EmbedDim, config.HiddenDim);
        fc2 = nn.Linear(config.HiddenDim, config.EmbedDim);
        this.autocast = autocast;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => autocast.Linear(F.gelu(autocast.Linear(x, fc1)), fc2);
}

internal sealed class Block : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly Attention attn;
    private readonly LayerNorm norm2;
    private readonly Mlp mlp;
    private readonly double dropPath;
    private readonly Scalar keep;
    private readonly DropPathRandom random;

    public Block(VitConfig config, double dropPath, Autocast autocast, DropPathRandom random) : base("Block")
    {
        norm1 = nn.LayerNorm(config.EmbedDim, eps: config.LayerNormEps);
        attn = new Attention(config, autocast);
        norm2 = nn.LayerNorm(config.EmbedDim, eps: config.LayerNormEps);
        mlp = new Mlp(config, autocast);
        this.dropPath = dropPath;
        keep = 1.0 - dropPath;
        this.random = random;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = x.add(DropPath(attn.call(norm1.call(x))), HeldScalars.One);
        return x.add(DropPath(mlp.call(norm2.call(x))), HeldScalars.One);
    }

    /// <summary>timm's per-sample stochastic depth: keep a sample's branch with probability 1-p, scaled by 1/(1-p).</summary>
    private Tensor DropPath(Tensor x)
    {
        if (dropPath == 0.0 || !training)
            return x;
        var mask = random.Draw(x.shape[0], x.dtype, x.device).add_(keep, HeldScalars.One).floor_();
        return x.div(keep) * mask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            keep.Dispose();
        base.Dispose(disposing);
    }
}
