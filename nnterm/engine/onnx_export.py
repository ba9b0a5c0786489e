"""A weight file as an ONNX graph, for the runtimes that reach the browser, C#, JS and phones.

The graph takes the rows `nnterm predict` takes (input_columns: x1, x2 for a 2-D set, else the
features) and computes what nnterm computes:

    features   a 2-D set's x1², x1·x2, sin x1, … from the point (Gather, Mul, Sin, Concat)
    z-scores   (x − scaler_mean) / scaler_std                     (Sub, Div)
    per layer  a·W + b, then the activation                       (Gemm, then one node or two)
    units      a CSV regression's ŷ·target_std + target_mean       (Mul, Add)

Activations are nnterm's (kernels/codes.py), with PyTorch's constants: leaky_relu slope 0.01,
elu α 1, softplus ln(1 + eˣ), swish x·σ(x) as Sigmoid then Mul (opset 17 has no Swish node),
softmax over each row. Everything runs in float32, the type every ONNX runtime has kernels for;
a float64 network is rounded to it. Needs the `onnx` package (`pip install 'nnterm[onnx]'`),
imported by this module only.
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from nnterm.kernels.codes import ELU_ALPHA, LEAKY_SLOPE

OPSET = 17                  # Gemm, Softmax(axis), Softplus, Sin: all there; onnxruntime-web runs it
IR_VERSION = 8              # the IR version opset 17 came with, so older runtimes load it too
INPUT, OUTPUT = "input", "output"

ONE_NODE = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "Relu", "softplus": "Softplus"}


class Graph:
    """Nodes and constants, named in order so the graph reads top to bottom in Netron."""

    def __init__(self):
        self.nodes, self.constants = [], []

    def constant(self, name: str, values) -> str:
        self.constants.append(numpy_helper.from_array(np.asarray(values, dtype=np.float32), name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attributes) -> str:
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attributes))
        return output


def feature_nodes(g: Graph, x: str, features: tuple[str, ...]) -> str:
    """The 2-D point's columns → the named features, in order (nnterm/data/features.py's TRANSFORMS)."""
    g.constants.append(numpy_helper.from_array(np.array([0], dtype=np.int64), "column_x1"))
    g.constants.append(numpy_helper.from_array(np.array([1], dtype=np.int64), "column_x2"))
    x1 = g.node("Gather", [x, "column_x1"], "x1", axis=1)
    x2 = g.node("Gather", [x, "column_x2"], "x2", axis=1)
    made = {"x1": x1, "x2": x2,
            "x1^2": lambda: g.node("Mul", [x1, x1], "x1^2"), "x2^2": lambda: g.node("Mul", [x2, x2], "x2^2"),
            "x1*x2": lambda: g.node("Mul", [x1, x2], "x1*x2"),
            "sin(x1)": lambda: g.node("Sin", [x1], "sin(x1)"), "sin(x2)": lambda: g.node("Sin", [x2], "sin(x2)")}
    columns = [made[name] if isinstance(made[name], str) else made[name]() for name in features]
    return g.node("Concat", columns, "features", axis=1)


def activation_nodes(g: Graph, z: str, activation: str, prefix: str) -> str:
    if activation == "linear":
        return z
    if activation in ONE_NODE:
        return g.node(ONE_NODE[activation], [z], f"{prefix}.{activation}")
    if activation == "leaky_relu":
        return g.node("LeakyRelu", [z], f"{prefix}.leaky_relu", alpha=LEAKY_SLOPE)
    if activation == "elu":
        return g.node("Elu", [z], f"{prefix}.elu", alpha=ELU_ALPHA)
    if activation == "swish":                      # x·σ(x)
        s = g.node("Sigmoid", [z], f"{prefix}.sigmoid")
        return g.node("Mul", [z, s], f"{prefix}.swish")
    if activation == "softmax":
        return g.node("Softmax", [z], f"{prefix}.softmax", axis=1)
    raise ValueError(f"no ONNX form for the activation {activation}")   # codes.ACTIVATIONS are all above


def onnx_model(model) -> "onnx.ModelProto":
    """An engine.inference.TrainedModel → a checked ONNX model (onnx.checker passes)."""
    g = Graph()
    a = feature_nodes(g, INPUT, model.feature_names) if model.from_points else INPUT
    a = g.node("Sub", [a, g.constant("scaler_mean", model.scaler_mean)], "centred")
    a = g.node("Div", [a, g.constant("scaler_std", model.scaler_std)], "standardised")
    for layer in model.network.layers:
        prefix = f"layers.{layer.index}"
        w = g.constant(f"{prefix}.weight", layer.weight)              # (fan_in, units): a·W, no transpose
        b = g.constant(f"{prefix}.bias", layer.bias)
        z = g.node("Gemm", [a, w, b], f"{prefix}.z")
        a = activation_nodes(g, z, layer.activation, prefix)
    if model.target_mean is not None:
        a = g.node("Mul", [a, g.constant("target_std", model.target_std)], "target_scaled")
        a = g.node("Add", [a, g.constant("target_mean", model.target_mean)], "target_units")
    g.nodes.append(helper.make_node("Identity", [a], [OUTPUT], name=OUTPUT))
    n_out = model.network.n_outputs
    graph = helper.make_graph(
        g.nodes, "nnterm",
        [helper.make_tensor_value_info(INPUT, TensorProto.FLOAT, ["rows", len(model.input_columns)])],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["rows", n_out])],
        initializer=g.constants)
    onnx_file = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="nnterm", ir_version=IR_VERSION,
                                  doc_string=describe(model))
    helper.set_model_props(onnx_file, metadata(model))
    onnx.checker.check_model(onnx_file, full_check=True)
    return onnx_file


def output_meaning(model) -> str:
    if model.task == "regression":
        return f"values of {', '.join(model.target_names)}, in the data's units"
    if model.network.n_outputs == 1:
        return f"p({model.class_names[1]}), the probability of the second class"
    return "one probability per class: " + ", ".join(model.class_names)


def describe(model) -> str:
    return (f"input: float32 rows of {', '.join(model.input_columns)} (as in the file the network was trained on); "
            f"output: {output_meaning(model)}")


def metadata(model) -> dict[str, str]:
    import json
    out = {"input_columns": json.dumps(list(model.input_columns)), "feature_names": json.dumps(list(model.feature_names)),
           "task": model.task, "output": output_meaning(model)}
    if model.class_names:
        out["class_names"] = json.dumps(list(model.class_names))
    if model.target_names and model.task == "regression":
        out["target_names"] = json.dumps(list(model.target_names))
    return out


def onnx_bytes(model) -> bytes:
    return onnx_model(model).SerializeToString()
