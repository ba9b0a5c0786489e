"""The teaching screens: backprop inspector, neuron lab, price game, descent race."""
