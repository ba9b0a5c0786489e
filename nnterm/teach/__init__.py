"""Teaching engines, headless: the backprop trace, the neuron lab, the price game, the descent race."""
