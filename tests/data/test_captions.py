import re

import pytest

from keras_stackgan.data import ClassNameCaptioner, CUBAttributeCaptioner, ImageRecord, read_cub
from tests.data import layouts

COLOURS = {"red", "black", "blue", "yellow"}


@pytest.fixture
def captioner(cub_root):
    layouts.make_cub_attributes(cub_root / "CUB_200_2011")
    return CUBAttributeCaptioner.from_cub_dir(cub_root / "CUB_200_2011")


def test_sentences_follow_the_class_attributes(captioner):
    alpha = captioner.captions("001.Alpha_Bird", num=40, seed=0)
    beta = captioner.captions("Beta_Bird", num=40, seed=0)
    for sentence in alpha + beta:
        assert sentence == sentence.lower() and sentence.endswith(".")
        assert "bird" in sentence
    alpha_words = set(re.findall(r"[a-z-]+", " ".join(alpha)))
    beta_words = set(re.findall(r"[a-z-]+", " ".join(beta)))
    # Class 001 has cone bills, black wings and red crowns; class 002 none of those.
    assert {"cone-shaped", "red", "black"} <= alpha_words
    assert not {"hooked", "blue", "yellow", "spotted"} & alpha_words
    assert {"hooked", "blue", "yellow"} <= beta_words
    assert not {"cone-shaped", "red", "black"} & beta_words
    assert any("red crown" in s for s in alpha)
    assert any("short cone-shaped bill" in s for s in alpha)
    # Varied: many different sentences and sentence forms.
    assert len(set(alpha)) >= 15
    assert len({s.split(" ")[0] for s in alpha}) >= 2


def test_deterministic_under_seed(captioner):
    assert captioner.captions(1, 5, seed=3) == captioner.captions(1, 5, seed=3)
    assert captioner.captions(1, 5, seed=3) != captioner.captions(1, 5, seed=4)


def test_class_lookup(captioner):
    assert captioner.class_index("001.Alpha_Bird") == captioner.class_index("alpha_bird") == 0
    assert captioner.class_index(2) == 2
    with pytest.raises(KeyError):
        captioner.class_index("Unknown_Bird")
    with pytest.raises(KeyError):
        captioner.class_index(9)
    assert captioner.captions(3, 2) == ["a photo of a bird."] * 2  # class with no attributes


def test_attach_to_class_only_records(captioner, cub_root):
    records, _ = read_cub(cub_root, None, captions=False)
    captioned = captioner.attach(records, num_captions=3, seed=0)
    assert all(len(r.captions) == 3 for r in captioned)
    # A record's captions depend on its key and the seed, not on its position.
    assert captioner.attach(records[::-1], 3, seed=0)[::-1] == captioned
    crops = [ImageRecord("x.jpg", "Beta_Bird/0001", class_id=0, class_name="Beta_Bird")]
    words = set(re.findall(r"[a-z-]+", " ".join(captioner.attach(crops)[0].captions)))
    assert not (COLOURS - {"blue", "yellow"}) & words


def test_class_name_captions():
    captioner = ClassNameCaptioner({0: "english marigold"}, noun="flower")
    captions = captioner.captions("pink primrose")
    assert captions[0] == "a photo of a pink primrose, a type of flower."
    assert len(set(captions)) == len(captions) >= 4
    record = ImageRecord("x.jpg", "jpg/image_00001", class_id=0)
    (attached,) = captioner.attach([record])
    assert attached.captions[0] == "a photo of an english marigold, a type of flower."
    birds = ClassNameCaptioner(noun="bird").captions("001.Black_footed_Albatross")
    assert birds[0] == "a photo of a black footed albatross, a type of bird."
    with pytest.raises(KeyError):
        captioner.attach([ImageRecord("y.jpg", "k", class_id=5)])
