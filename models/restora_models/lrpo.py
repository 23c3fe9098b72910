"""The pieces of on-policy preference optimisation of the refiner (LRPO / Pref-Restore style); train_lrpo.py runs them.

Stochastic sampler. The engine's sampler (refiner_arch.sample) is deterministic: from x at level t with prediction
x0 it moves to x' = (1 - t') x0 + t' * n_hat, with n_hat = (x - (1 - t) x0) / t = cond + s * eps_hat. For a policy
gradient each step needs a probability, so here a step is a Gaussian whose *total* noise at t' stays s * t' (as
DDIM with eta does):
    x' ~ N(mu, sigma^2),  mu = (1 - t') x0 + t' cond + s t' sqrt(1 - eta^2) eps_hat,  sigma = eta s t'
eta = 0 is exactly the engine's sampler; the last step (t' = 0) returns x0 and has no probability of its own.
Log-probabilities are per-pixel means of the Gaussian log-density (a sum over ~30k pixels would make every
probability ratio 0 or infinity).

Advantages: candidates of one input form a group; A = (R - mean of the group) / (std of the group, or of the whole
batch: `adv_std`), clipped to +-adv_clip. Noise-level assignment (LRPO): at a step with noise sigma_k the advantage
is A * sigma_k / mean(sigma), clipped to +-adv_clip, so the noisier steps, where the structure is decided, weigh more.
Loss = PPO-clip policy loss + w_gt * ground-truth guided likelihood regularisation (the refiner's own x0 loss on
the ground truth at t drawn from (0, gt_t_max]: outputs stay likely under the ground truth) + w_l2 * sum of squared
differences from the base weights (the tuned model stays near the base).
"""
import math

import torch
import torch.nn.functional as F

from .refiner_arch import schedule

LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


def gaussian_logprob(x, mean, sigma):
    """Per-sample mean over elements of log N(x; mean, sigma^2) (sigma a float or broadcastable tensor)."""
    sigma = torch.as_tensor(sigma, dtype=x.dtype, device=x.device)
    lp = -0.5 * ((x - mean) / sigma) ** 2 - torch.log(sigma) - LOG_SQRT_2PI
    return lp.flatten(1).mean(1)


def predict(model, x, cond, t, queries, guidance):
    """x0 with classifier-free guidance (both branches in one batch, as the engine runs them)."""
    tt = torch.full((x.shape[0],), float(t), dtype=x.dtype, device=x.device)
    if guidance == 1.0:
        return model(x, cond, tt, queries)
    both = model(torch.cat([x, x]), torch.cat([cond, cond]), torch.cat([tt, tt]), torch.cat([queries, torch.zeros_like(queries)]))
    c, u = both.chunk(2)
    return u + guidance * (c - u)


def transition_mean(x, x0, cond, t, tn, eta, s):
    eps_hat = ((x - (1 - t) * x0) / t - cond) / s
    return (1 - tn) * x0 + tn * cond + s * tn * math.sqrt(1 - eta * eta) * eps_hat


def step_sigma(tn, eta, s):
    return eta * s * tn


@torch.no_grad()
def rollout(model, cond, queries, eps, fidelity, steps, guidance, eta, gen=None):
    """Sample with the stochastic sampler. Returns (output [B,3,H,W] in 0..1, trajectory): one dict per stochastic
    step with x, t, tn, sigma, x_next and logp (the sampling policy's log-probability, per sample)."""
    ts = schedule(fidelity, steps)
    if not ts:
        return cond.clone(), []
    s = model.cfg.res_scale
    x = cond + s * ts[0] * eps
    traj, x0 = [], cond
    for t, tn in zip(ts[:-1], ts[1:]):
        x0 = predict(model, x, cond, t, queries, guidance)
        if tn <= 0:
            break
        mean = transition_mean(x, x0, cond, t, tn, eta, s)
        sig = step_sigma(tn, eta, s)
        noise = torch.randn(x.shape, generator=gen).to(x.device) if gen is not None else torch.randn_like(x)
        xn = mean + sig * noise
        traj.append(dict(x=x, t=t, tn=tn, sigma=sig, x_next=xn, logp=gaussian_logprob(xn, mean, sig)))
        x = xn
    return x0.clamp(0.0, 1.0), traj


def step_logprob(model, st, cond, queries, guidance, eta):
    """Log-probability of one recorded step under the current weights (with gradients)."""
    x0 = predict(model, st["x"], cond, st["t"], queries, guidance)
    mean = transition_mean(st["x"], x0, cond, st["t"], st["tn"], eta, model.cfg.res_scale)
    return gaussian_logprob(st["x_next"], mean, st["sigma"])


def group_advantages(rewards, group, clip=5.0, std="group"):
    """rewards [N*group] (consecutive candidates share an input) -> advantages [N*group], zero-mean per group."""
    r = rewards.view(-1, group)
    centred = r - r.mean(1, keepdim=True)
    if std == "group":
        scale = r.std(1, keepdim=True) if group > 1 else torch.ones_like(r[:, :1])
    else:
        scale = rewards.std().expand_as(r[:, :1])
    return (centred / (scale + 1e-6)).clamp(-clip, clip).reshape(-1)


def noise_level_weights(sigmas):
    """sigma_k / mean(sigma) for each stochastic step."""
    m = sum(sigmas) / len(sigmas)
    return [s / m for s in sigmas]


def policy_loss(logp_new, logp_old, adv, clip):
    """PPO-clip surrogate (to minimise) for one step: per-sample log-probs and advantages."""
    ratio = torch.exp(logp_new - logp_old)
    return -torch.min(ratio * adv, ratio.clamp(1 - clip, 1 + clip) * adv).mean()


def gt_likelihood_loss(model, cond, gt, queries, t_max, gen):
    """The refiner's own x0 loss (L1, residual flow matching) on the ground truth at t ~ U(0, t_max]."""
    b, dev = cond.shape[0], cond.device
    t = (1 - torch.rand(b, generator=gen)).to(dev) * t_max
    s = model.cfg.res_scale
    eps = torch.randn(cond.shape, generator=gen).to(dev)
    tt = t[:, None, None, None]
    x_t = cond + s * ((1 - tt) * (gt - cond) / s + tt * eps)
    return F.l1_loss(model(x_t, cond, t, queries), gt)


def l2_to_base(model, base_params):
    return sum(((p - p0) ** 2).sum() for p, p0 in zip(model.parameters(), base_params))
