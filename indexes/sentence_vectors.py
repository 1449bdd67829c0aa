"""The answer stage's vector of every sentence in the index, kept beside it in one file.

A question's ~30 candidate sentences are then looked up instead of encoded (~6 ms each on two
cores, most of an answer's time). The vectors belong to one sentence encoder, named by an id the
encoder's owner chooses; a file made with another encoder is not used. Sentences are keyed by
their text, so a sentence the file lacks (a document ingested since it was made) is simply
encoded when asked for.
"""

import os
from dataclasses import dataclass
from hashlib import blake2b
from pathlib import Path

import numpy as np

from indexes.errors import IndexError_

# One file per encoder, named by it: sentence-vectors-<16 hex digits>.npy (rows of key and vector).
FILE_PREFIX = "sentence-vectors-"


class SentenceVectorsError(IndexError_):
    """A sentence-vector file cannot be read."""


def sentence_key(text: str) -> int:
    """A 64-bit key of a sentence's exact text (collisions among ~10^6 sentences: ~10^-7)."""
    return int.from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def sentence_keys(texts: list[str]) -> np.ndarray:
    """`sentence_key` of each text, as uint64."""
    return np.fromiter((sentence_key(t) for t in texts), dtype=np.uint64, count=len(texts))


def _rows(dimension: int) -> np.dtype:
    return np.dtype([("key", "<u8"), ("vector", "<f2", (dimension,))])


@dataclass(frozen=True)
class SentenceVectors:
    """Float16 vectors of sentences by key, made by one encoder.

    Usage:
        table = SentenceVectors.load(index.settings.index_path, encoder_id)
        if table is not None:
            vectors, found = table.lookup(["The rate fell to 12%."])
    """

    encoder: str
    keys: np.ndarray  # uint64, sorted, unique
    vectors: np.ndarray  # float16, one row per key

    def __post_init__(self):
        if len(self.keys) != len(self.vectors):
            raise ValueError(f"{len(self.keys)} keys for {len(self.vectors)} vectors")

    def __len__(self) -> int:
        return len(self.keys)

    @staticmethod
    def path_in(folder: str | Path, encoder: str) -> Path:
        """The file of `encoder`'s vectors in `folder`."""
        return Path(folder) / f"{FILE_PREFIX}{blake2b(encoder.encode(), digest_size=8).hexdigest()}.npy"

    @staticmethod
    def stored_in(folder: str | Path) -> list[Path]:
        """Every sentence-vector file in `folder`, whoever made it."""
        return sorted(Path(folder).glob(f"{FILE_PREFIX}*.npy"))

    @classmethod
    def empty(cls, encoder: str, dimension: int) -> "SentenceVectors":
        """No vectors yet, of `encoder` and this width."""
        return cls(encoder, np.zeros(0, dtype=np.uint64), np.zeros((0, dimension), dtype=np.float16))

    def lookup(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(float32 vectors, zero where not found; whether each text was found)."""
        keys = sentence_keys(texts)
        at = np.searchsorted(self.keys, keys)
        found = at < len(self.keys)
        found[found] = self.keys[at[found]] == keys[found]
        out = np.zeros((len(texts), self.vectors.shape[1]), dtype=np.float32)
        out[found] = self.vectors[at[found]]
        return out, found

    def with_rows(self, keys: np.ndarray, vectors: np.ndarray) -> "SentenceVectors":
        """These rows added, replacing any with the same key."""
        all_keys = np.concatenate([np.asarray(keys, dtype=np.uint64), self.keys])
        all_vectors = np.concatenate([np.asarray(vectors, dtype=np.float16).reshape(len(keys), self.vectors.shape[1]), self.vectors])
        unique, first = np.unique(all_keys, return_index=True)  # the new row wins: it comes first
        return SentenceVectors(self.encoder, unique, all_vectors[first])

    def only(self, keys: np.ndarray) -> "SentenceVectors":
        """The rows whose keys are among `keys`."""
        kept = np.isin(self.keys, keys)
        return SentenceVectors(self.encoder, self.keys[kept], self.vectors[kept])

    def save(self, folder: str | Path) -> Path:
        """Write this encoder's file whole or not at all (a reader sees the old file or the new
        one) and return its path."""
        path = self.path_in(folder, self.encoder)
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = np.empty(len(self), dtype=_rows(self.vectors.shape[1]))
        rows["key"], rows["vector"] = self.keys, self.vectors
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        try:
            with partial.open("wb") as handle:
                np.save(handle, rows)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        return path

    @classmethod
    def load(cls, folder: str | Path, encoder: str, dimension: int) -> "SentenceVectors | None":
        """`encoder`'s vectors in `folder`, mapped from the file rather than read (the pages are
        shared with other processes); None if there are none.

        :raises SentenceVectorsError: naming the file, when it is not sorted rows of a key and a
            float16 vector of `dimension`.
        """
        path = cls.path_in(folder, encoder)
        if not path.exists():
            return None
        advice = "delete it or run `scrutiny index sentence-vectors` again"
        try:
            rows = np.load(path, mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError) as e:
            raise SentenceVectorsError(f"{path}: not a sentence-vector file ({e}); {advice}") from e
        if rows.dtype != _rows(dimension) or rows.ndim != 1:
            raise SentenceVectorsError(f"{path}: rows of {rows.dtype}, not of a key and {dimension} float16s; {advice}")
        # Sorted keys are what lookups rely on (one pass over the file: ~0.1 s for 190k sentences).
        if not np.all(rows["key"][1:] > rows["key"][:-1]):
            raise SentenceVectorsError(f"{path}: keys not sorted; {advice}")
        return cls(encoder, rows["key"], rows["vector"])
