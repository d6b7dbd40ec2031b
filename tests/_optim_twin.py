"""A small network, its minibatch gradient and a torch twin: shared by test_optim.py and test_stochastic.py."""

import numpy as np
import torch

import ae_lib as ae

RNG = np.random.default_rng(0)
X = RNG.normal(size=(20, 4))
Y = RNG.normal(size=(20, 2))


def make_net():
    return ae.DeepNetwork.from_widths([4, 5, 2], "tanh", seed=2, output_phi="identity")


def grad_batch(net):
    def g(theta, idx):
        return ae.flatten_theta(ae.risk_gradient(ae.set_theta(net, theta), ae.squared_loss, X[idx], Y[idx]))

    return g


def torch_run(net, batches, lrs, make_opt):
    """Run a torch optimiser on the twin of net over the given minibatches; θ after each step."""
    twin = ae.to_torch(net)
    opt = make_opt(twin.parameters())
    out = []
    for idx, lr in zip(batches, lrs):
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad()
        ((twin(torch.tensor(X[idx])) - torch.tensor(Y[idx])) ** 2).sum(1).mean().backward()
        opt.step()
        out.append(np.concatenate([p.detach().reshape(-1).numpy() for p in twin.parameters()]))
    return np.array(out)
