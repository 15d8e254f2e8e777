"""Makes official_semantics.json: numbers of the official loop that recipe.json does not hold, for the tests of the
semantics the fidelity review (December 2026) found different.

usage: python3 make_semantics_reference.py [OUT_DIR]      (plain Python 3: no PyTorch)

There is no PyTorch where these were made, so unlike make_recipe_reference.py this script does not import the official
code: each function below transcribes the official lines it names (Deep-Incubation at 9a7061b, vendored timm 0.3.2),
statement for statement, and is run on plain numbers.

  partial_accumulation  engine.py:30-33,57-64 and samplers.py:33-35 (RASampler) / DistributedSampler, main.py:313:
                        which micro-batches an epoch trains, the optimizer steps it takes and the micro-batches of a
                        last partial group, whose gradients no step consumes and no zero_grad clears (engine.py:58,64
                        zero only after a step), so they join the next epoch's first step
  resume_schedule       utils.py:347-350 + timm/scheduler/scheduler.py:58-59 (load_state_dict restores every field of
                        the scheduler) + cosine_lr.py:68-95 + main.py:370-383: the lr each epoch of a resumed run trains
                        at when it was resumed with other flags; the schedule is the checkpoint's, the loop runs to the
                        new --epochs
"""
import json, math, os, sys

out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
ref = {}


def partial_accumulation(n, batch, update_freq, world, repeated_aug=True):
    if repeated_aug:
        samples_per_rank = int(math.floor(n // 256 * 256 / world))           # samplers.py:35
    else:
        samples_per_rank = int(math.ceil(n / world))                          # DistributedSampler
    micro_batches = samples_per_rank // batch                                 # DataLoader drop_last=True
    per_epoch = n // (batch * update_freq * world)                            # main.py:312-313
    trained, steps, pending = 0, 0, 0
    for data_iter_step in range(micro_batches):                               # engine.py:30
        step = data_iter_step // update_freq                                  # engine.py:31
        if step >= per_epoch:                                                 # engine.py:32-33
            continue
        trained += 1
        pending += 1                                                          # loss.backward() accumulates
        if (data_iter_step + 1) % update_freq == 0:                           # engine.py:62-64
            steps += 1
            pending = 0                                                       # optimizer.zero_grad()
    return {'dataset': n, 'batch_size': batch, 'update_freq': update_freq, 'world_size': world,
            'repeated_aug': repeated_aug, 'micro_batches': micro_batches, 'num_training_steps_per_epoch': per_epoch,
            'micro_batches_trained': trained, 'optimizer_steps': steps, 'carried_micro_batches': pending}


ref['partial_accumulation'] = [partial_accumulation(*c) for c in [
    (1000, 100, 3, 1), (1250, 100, 4, 1), (1000, 50, 3, 2), (60000, 128, 3, 1), (1281167, 64, 32, 1),
    (1000, 100, 3, 1, False)]]


class Cosine:
    """timm 0.3.2 CosineLRScheduler as create_scheduler builds it (scheduler_factory.py:26-40), per epoch."""

    def __init__(self, base_lr, epochs, min_lr, warmup_lr, warmup_epochs):
        self.base_values, self.t_initial, self.lr_min = [base_lr], epochs, min_lr
        self.warmup_lr_init, self.warmup_t, self.cycle_limit, self.t_mul, self.decay_rate = warmup_lr, warmup_epochs, 1, 1., 0.1
        self.warmup_steps = [(v - warmup_lr) / warmup_epochs for v in self.base_values] if warmup_epochs else [1]
        self.lr = warmup_lr if warmup_epochs else base_lr                      # cosine_lr.py:62-66, scheduler.py:53

    def step(self, t):                                                         # cosine_lr.py:68-95
        if t < self.warmup_t:
            self.lr = self.warmup_lr_init + t * self.warmup_steps[0]
            return
        i = t // self.t_initial
        t_curr = t - self.t_initial * i
        gamma = self.decay_rate ** i
        if i < self.cycle_limit:
            self.lr = self.lr_min * gamma + 0.5 * (self.base_values[0] * gamma - self.lr_min * gamma) * (1 + math.cos(math.pi * t_curr / self.t_initial))
        else:
            self.lr = self.lr_min


def resume_schedule(first, stopped_after, resumed, effective_batch):
    """Trains epochs 0..stopped_after with the first flags, saves, and resumes with the second ones."""
    def scheduler(f):
        return Cosine(f['lr'] * effective_batch / 512.0, f['epochs'], f['min_lr'], f['warmup_lr'], f['warmup_epochs'])
    sched = scheduler(first)
    lrs = []
    for epoch in range(0, stopped_after + 1):
        lrs.append(sched.lr)
        sched.step(epoch)                                                      # main.py:383, then save_model
    restored = sched                                                           # utils.py:348-349: the checkpoint's state
    for epoch in range(stopped_after + 1, resumed['epochs']):                  # main.py:370: the new --epochs
        lrs.append(restored.lr)
        restored.step(epoch)
    return {'effective_batch': effective_batch, 'first': first, 'stopped_after_epoch': stopped_after, 'resumed': resumed,
            'kept_weight_decay': first['weight_decay'], 'lr_per_epoch': lrs}


ref['resume_schedule'] = resume_schedule(
    first={'epochs': 10, 'lr': 1e-3, 'min_lr': 1e-4, 'warmup_lr': 1e-5, 'warmup_epochs': 3, 'weight_decay': 0.05},
    stopped_after=2,
    resumed={'epochs': 12, 'lr': 5e-4, 'min_lr': 1e-5, 'warmup_lr': 1e-6, 'warmup_epochs': 0, 'weight_decay': 0.1},
    effective_batch=128)

with open(os.path.join(out_dir, 'official_semantics.json'), 'w') as f:
    json.dump(ref, f, indent=1)
