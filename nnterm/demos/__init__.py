"""Gradient descent you can play (engine side, no textual).

`price`: the price-guessing game — a host's bisection, gradient descent on L = (guess − price)²,
and a person typing guesses — plus a feature round where a linear neuron learns
price = w·x + b. `surfaces` and `descent`: two-parameter loss surfaces and a race of the
engine's own optimizers across them.
"""
