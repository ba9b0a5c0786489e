"""The downloadable image sets — MNIST and Fashion-MNIST — as one table: where their four IDX
files live, what they are called, their classes, and where and how `nnterm data fetch` gets them
(docs/design.md, "Data").

Both have the standard split: 60,000 training images and 10,000 test images of 28 × 28 bytes.
The training file gives the training and validation splits (`train_fraction` of it trains), the
test file is the test split whatever `test_fraction` says. Pixels are scaled to [0, 1] (÷ 255).
"""
from __future__ import annotations      # numpy and the IDX reader load only when a set is read: `nnterm --help` lists this module
from nnterm.runtime.language import _, N_, ngettext

from dataclasses import dataclass
from pathlib import Path


from nnterm.errors import NntermError
from nnterm.runtime.home import nnterm_home

PARTS = ("train-images", "train-labels", "t10k-images", "t10k-labels")
PIXEL_SCALE = 255.0                 # a byte 0 … 255 → 0 … 1


@dataclass(frozen=True)
class Download:
    part: str             # one of PARTS
    size: int             # bytes of the .gz file
    sha256: str


@dataclass(frozen=True)
class ImageSet:
    name: str                       # the folder under $NNTERM_HOME/data and `nnterm data fetch`'s word
    kind: str                       # the preset's data.kind
    title: str
    class_names: tuple[str, ...]
    mirrors: tuple[str, ...]        # tried in turn; each + "<part>-idx?-ubyte.gz"
    downloads: tuple[Download, ...]
    side: int = 28


IMAGE_SETS = (
    ImageSet("mnist", "mnist", N_("MNIST handwritten digits"), tuple(str(d) for d in range(10)),
             ("https://ossci-datasets.s3.amazonaws.com/mnist/",
              "https://storage.googleapis.com/cvdf-datasets/mnist/"),
             (Download("train-images", 9_912_422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
              Download("train-labels", 28_881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
              Download("t10k-images", 1_648_877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
              Download("t10k-labels", 4_542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"))),
    ImageSet("fashion-mnist", "fashion_mnist", N_("Fashion-MNIST clothing"),
             ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
             ("https://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
              "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
             (Download("train-images", 26_421_880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
              Download("train-labels", 29_515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
              Download("t10k-images", 4_422_102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
              Download("t10k-labels", 5_148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"))),
)
BY_NAME = {s.name: s for s in IMAGE_SETS}
BY_KIND = {s.kind: s for s in IMAGE_SETS}


def file_name(part: str) -> str:
    """The name the files are published under: train-images-idx3-ubyte (rank 3 for images)."""
    return f"{part}-idx{3 if part.endswith('images') else 1}-ubyte"


def candidates(part: str) -> tuple[str, ...]:
    """The names a part is found under: as published, with the dot some copies have
    (train-images.idx3-ubyte), each gzipped or not."""
    plain = file_name(part)
    dotted = plain.replace("-idx", ".idx")
    return (plain, plain + ".gz", dotted, dotted + ".gz")


def data_folder(image_set: ImageSet, path: str = "") -> Path:
    """A preset's data.path when it names one, else $NNTERM_HOME/data/<name>."""
    return Path(path) if path else nnterm_home() / "data" / image_set.name


def find_part(folder: Path, part: str) -> Path | None:
    for name in candidates(part):
        if (folder / name).is_file():
            return folder / name
    return None


def missing_parts(folder: Path) -> list[str]:
    return [part for part in PARTS if find_part(folder, part) is None]


def where_to_put(folder: Path) -> str:
    return _("put the four files ({files}, gzipped or not) in {folder}").format(files=", ".join(file_name(p) for p in PARTS), folder=folder)


def how_to_get(image_set: ImageSet, folder: Path) -> str:
    return _("run `nnterm data fetch {name}`, or {advice}").format(name=image_set.name, advice=where_to_put(folder))


def load_image_set(kind: str, path: str = "", where: str = "preset") -> tuple[np.ndarray, np.ndarray, int, tuple]:
    """(pixels (n, side²) float32 in 0 … 1, labels (n,) int64, rows of the training file, class
    names): the training file's images first, then the test file's."""
    import numpy as np

    from nnterm.data.idx import read_idx
    image_set = BY_KIND[kind]
    folder = data_folder(image_set, path)
    missing = missing_parts(folder)
    if missing:
        absent = _("all four files") if len(missing) == 4 else ", ".join(file_name(p) for p in missing)
        sentence = ngettext("{where}: {title} needs its IDX files and {absent} is missing from {folder}; {advice}",
                            "{where}: {title} needs its IDX files and {absent} are missing from {folder}; {advice}", len(missing))
        raise NntermError(sentence.format(where=where, title=_(image_set.title), absent=absent, folder=folder, advice=how_to_get(image_set, folder)))
    pixels, labels = [], []
    for split in ("train", "t10k"):
        images = read_idx(find_part(folder, f"{split}-images"), 3, _("images (count × rows × columns)"))
        marks = read_idx(find_part(folder, f"{split}-labels"), 1, _("labels (one per image)"))
        check_pair(images, marks, folder, split, image_set)
        pixels.append(images.reshape(len(images), -1))
        labels.append(marks)
    n_train = len(pixels[0])
    inputs = np.concatenate(pixels).astype(np.float32)
    inputs /= np.float32(PIXEL_SCALE)
    return inputs, np.concatenate(labels).astype(np.int64), n_train, image_set.class_names


def check_pair(images: np.ndarray, labels: np.ndarray, folder: Path, split: str, image_set: ImageSet) -> None:
    side, n_classes = image_set.side, len(image_set.class_names)
    if images.shape[1:] != (side, side):
        raise NntermError(_("{file}: holds {height} × {width} images; {title} are {side} × {side}").format(file=find_part(folder, split + '-images'), height=images.shape[1], width=images.shape[2], title=_(image_set.title), side=side))
    if len(labels) != len(images):
        raise NntermError(_("{file}: holds {labels_count:,} labels for {images_count:,} images; each image needs one").format(file=find_part(folder, split + '-labels'), labels_count=len(labels), images_count=len(images)))
    top = int(labels.max())
    if top >= n_classes:
        raise NntermError(_("{file}: holds the label {top}; {title} has classes 0 … {last}").format(file=find_part(folder, split + '-labels'), top=top, title=_(image_set.title), last=n_classes - 1))


def split_fixed(n_train: int, n_all: int, train_fraction: float, rng) -> tuple:
    """Training and validation rows from the training file, the test file's rows as the test split."""
    import numpy as np
    order = rng.permutation(n_train)
    keep = max(1, int(round(n_train * train_fraction)))
    return order[:keep], order[keep:], np.arange(n_train, n_all)


def present(image_set: ImageSet, path: str = "") -> dict[str, Path | None]:
    """Each part → the file found for it, or None: what `nnterm data` lists."""
    folder = data_folder(image_set, path)
    return {part: find_part(folder, part) for part in PARTS}

