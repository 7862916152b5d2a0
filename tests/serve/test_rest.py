"""TF Serving's REST API on the local server: status, metadata, predict in both formats, errors.

One app per module holds the shipped ``flowers`` preset and tiny zoo pipelines; every predict
is compared with the pipeline's own ``generate`` for the same seed.
"""

import json

import numpy as np
import pytest

pytest.importorskip("flask")

from keras_stackgan.serve import create_app  # noqa: E402

TEXTS = ["this flower has pink petals and a yellow centre", "a white flower with thin petals"]


@pytest.fixture(scope="module")
def client(flowers, tiny_infogan, tiny_dcgan):
    app = create_app({"flowers": flowers, "tiny-infogan": tiny_infogan, "tiny-dcgan": tiny_dcgan})
    return app.test_client()


def predict(client, name, body, status=200):
    response = client.post(f"/v1/models/{name}:predict", data=json.dumps(body))
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    return response.get_json()


def test_model_status_and_metadata(client, flowers):
    for path in ("/v1/models/flowers", "/v1/models/flowers/versions/1"):
        status = client.get(path).get_json()
        assert status == {
            "model_version_status": [
                {
                    "version": "1",
                    "state": "AVAILABLE",
                    "status": {"error_code": "OK", "error_message": ""},
                }
            ]
        }
    metadata = client.get("/v1/models/flowers/metadata").get_json()
    assert metadata["model_spec"] == {"name": "flowers", "signature_name": "", "version": "1"}
    defs = metadata["metadata"]["signature_def"]["signature_def"]
    assert set(defs) == {"serving_default", "generate_from_text", "generate_from_embedding"}
    assert defs["serving_default"] == defs["generate_from_text"]
    text = defs["generate_from_text"]
    assert text["method_name"] == "tensorflow/serving/predict"
    assert text["inputs"]["texts"]["dtype"] == "DT_STRING"
    assert text["inputs"]["seed"]["dtype"] == "DT_INT64"
    assert text["inputs"]["seed"]["tensor_shape"]["dim"] == []
    assert [d["size"] for d in text["outputs"]["images"]["tensor_shape"]["dim"]] == [
        "-1",
        "64",
        "64",
        "3",
    ]
    assert set(text["outputs"]) == {"images", "stage1_images"}
    embedding = defs["generate_from_embedding"]["inputs"]["embeddings"]
    assert embedding["dtype"] == "DT_FLOAT"
    assert [d["size"] for d in embedding["tensor_shape"]["dim"]] == [
        "-1",
        str(flowers.embedding_dim),
    ]

    missing = client.get("/v1/models/nope")
    assert missing.status_code == 404
    assert missing.get_json() == {"error": "Servable not found for request: Latest(nope)"}
    assert client.get("/v1/models/flowers/versions/2").status_code == 404
    assert client.get("/v1/models/flowers/labels/stable").status_code == 404


def test_predict_text_columnar_is_pipeline_generate(client, flowers):
    """The README's TF Serving request, unchanged: same images as ``pipeline.generate``."""
    body = {"signature_name": "generate_from_text", "inputs": {"texts": TEXTS, "seed": 3}}
    outputs = predict(client, "flowers", body)["outputs"]
    images, stage1 = flowers.generate(TEXTS, seed=3, return_stage1=True)
    got = np.asarray(outputs["images"])
    assert got.shape == (2, 64, 64, 3) and got.min() >= 0 and got.max() <= 255
    np.testing.assert_array_equal(got.astype(np.uint8), images)
    np.testing.assert_array_equal(np.asarray(outputs["stage1_images"], np.uint8), stage1)
    # serving_default is generate_from_text; another seed gives other images.
    default = predict(client, "flowers", {"inputs": {"texts": TEXTS, "seed": 3}})
    assert default["outputs"]["images"] == outputs["images"]
    other = predict(client, "flowers", {"inputs": {"texts": TEXTS, "seed": 4}})
    assert other["outputs"]["images"] != outputs["images"]


def test_predict_embedding_and_b64_strings(client, flowers):
    embeddings = flowers.embed(TEXTS)
    body = {
        "signature_name": "generate_from_embedding",
        "inputs": {"embeddings": embeddings.tolist(), "seed": 11},
    }
    outputs = predict(client, "flowers", body)["outputs"]
    expected = flowers.generate_from_embeddings(embeddings, seed=11)
    np.testing.assert_array_equal(np.asarray(outputs["images"], np.uint8), expected)
    # TF Serving's binary encoding of DT_STRING values is accepted too.
    import base64

    encoded = [{"b64": base64.b64encode(t.encode()).decode()} for t in TEXTS]
    same = predict(client, "flowers", {"inputs": {"texts": encoded, "seed": 11}})
    np.testing.assert_array_equal(
        np.asarray(same["outputs"]["images"], np.uint8), flowers.generate(TEXTS, seed=11)
    )


def test_row_format_with_a_scalar_input_points_to_columnar(client):
    body = {"instances": [{"texts": TEXTS[0], "seed": 0}, {"texts": TEXTS[1], "seed": 0}]}
    error = predict(client, "flowers", body, status=400)["error"]
    assert "'seed' must have shape []" in error and "columnar" in error and "'inputs'" in error


def test_zoo_generate_is_pipeline_generate(client, tiny_infogan, tiny_dcgan):
    labels, codes = [0, 2, 1], [[0.5, -0.5], [0.0, 1.0], [-1.0, 0.2]]
    body = {"inputs": {"labels": labels, "codes": codes, "seed": 7}}
    outputs = predict(client, "tiny-infogan", body)["outputs"]  # one output: unnamed
    expected = tiny_infogan.generate(labels=labels, codes=codes, seed=7)
    assert expected.shape == (3, 8, 8, 1)
    np.testing.assert_array_equal(np.asarray(outputs, np.uint8), expected)

    unconditional = predict(client, "tiny-dcgan", {"inputs": {"num_images": 5, "seed": 2}})
    np.testing.assert_array_equal(
        np.asarray(unconditional["outputs"], np.uint8), tiny_dcgan.generate(5, seed=2)
    )
    defs = client.get("/v1/models/tiny-infogan/metadata").get_json()["metadata"]
    defs = defs["signature_def"]["signature_def"]
    assert set(defs["generate"]["inputs"]) == {"labels", "codes", "seed"}
    assert set(defs["generate_from_noise"]["inputs"]) == {"noise", "labels", "codes"}
    metadata = client.get("/v1/models/tiny-dcgan/metadata").get_json()["metadata"]
    dcgan = metadata["signature_def"]["signature_def"]["generate"]
    assert set(dcgan["inputs"]) == {"num_images", "seed"}


def test_zoo_row_format_gives_predictions(client, tiny_infogan):
    """Every input of generate_from_noise is batched: row requests work, one row per image."""
    import tensorflow as tf

    rng = np.random.default_rng(0)
    noise = rng.normal(size=(2, 4)).astype(np.float32)
    rows = [
        {"noise": noise[0].tolist(), "labels": 1, "codes": [0.1, 0.2]},
        {"noise": noise[1].tolist(), "labels": 2, "codes": [-0.3, 0.9]},
    ]
    body = {"signature_name": "generate_from_noise", "instances": rows}
    predictions = predict(client, "tiny-infogan", body)["predictions"]
    expected = tiny_infogan.images_from_inputs(
        tf.constant(noise), tf.constant([1, 2], tf.int32), tf.constant([[0.1, 0.2], [-0.3, 0.9]])
    ).numpy()
    assert len(predictions) == 2
    np.testing.assert_array_equal(np.asarray(predictions, np.uint8), expected)


MB = b"{" + b" " * 1_000_000 + b"}"


@pytest.mark.parametrize(
    "name, body, status, message",
    [
        ("flowers", b"{not json", 400, "JSON Parse error"),
        ("flowers", b"[1, 2]", 400, "JSON object"),
        ("flowers", MB, 413, "larger than"),
        ("flowers", {"signature_name": "x", "inputs": {}}, 400, 'signature name: "x" not found'),
        ("flowers", {"inputs": {"texts": TEXTS}}, 400, "missing input(s) ['seed']"),
        ("flowers", {"inputs": {"texts": TEXTS, "seed": 0, "z": 1}}, 400, "unknown input(s)"),
        ("flowers", {"inputs": {"texts": TEXTS, "seed": 0}, "instances": []}, 400, "exactly one"),
        ("flowers", {"signature_name": "generate_from_text"}, 400, "exactly one"),
        ("flowers", {"inputs": ["a"]}, 400, "must be an object"),
        ("flowers", {"inputs": {"texts": TEXTS, "seed": "0"}}, 400, "must hold integers"),
        ("flowers", {"inputs": {"texts": TEXTS, "seed": 1.5}}, 400, "must hold integers"),
        ("flowers", {"inputs": {"texts": TEXTS, "seed": 2**64}}, 400, "seed"),
        ("flowers", {"inputs": {"texts": TEXTS, "seed": [0]}}, 400, "shape []"),
        ("flowers", {"inputs": {"texts": "a rose", "seed": 0}}, 400, "shape [n]"),
        ("flowers", {"inputs": {"texts": ["a rose", ""], "seed": 0}}, 400, "is empty"),
        (
            "flowers",
            {"inputs": {"texts": ["a rose"] * 1000, "seed": 0}},
            400,
            "1000 images; 1 to 16",
        ),
        ("flowers", {"inputs": {"texts": [], "seed": 0}}, 400, "1 to 16"),
        ("flowers", {"inputs": {"texts": [1, 2], "seed": 0}}, 400, "strings"),
        (
            "flowers",
            {
                "signature_name": "generate_from_embedding",
                "inputs": {"embeddings": [[0.0] * 3], "seed": 0},
            },
            400,
            "must have shape [n, 384]",
        ),
        (
            "flowers",
            {
                "signature_name": "generate_from_embedding",
                "inputs": {"embeddings": [[0.0], [0.0, 1.0]], "seed": 0},
            },
            400,
            "ragged",
        ),
        ("tiny-infogan", {"inputs": {"labels": [5], "codes": [[0, 0]], "seed": 0}}, 400, "outside"),
        ("tiny-dcgan", {"inputs": {"num_images": 1000, "seed": 0}}, 400, "1 to 16"),
        ("nope", {"inputs": {}}, 404, "Servable not found"),
    ],
    ids=lambda value: repr(value)[:40] if isinstance(value, bytes | dict) else None,
)
def test_bad_predict_requests_are_json_errors(client, name, body, status, message):
    data = body if isinstance(body, bytes) else json.dumps(body)
    response = client.post(f"/v1/models/{name}:predict", data=data)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert message in error, error


def test_wrong_verbs_and_methods(client):
    assert client.get("/v1/models/flowers:predict").status_code == 405
    assert client.post("/v1/models/flowers").status_code == 405
    response = client.post("/v1/models/flowers:classify", data="{}")
    assert response.status_code == 400 and "predict" in response.get_json()["error"]
    assert client.get("/v1/nothing").get_json()["error"].startswith("Not Found")


def test_server_answers_after_bad_requests(client, flowers):
    for data in (MB, b"\xff\xfe", b"{}", json.dumps({"inputs": {"texts": [""], "seed": 0}})):
        assert client.post("/v1/models/flowers:predict", data=data).status_code in (400, 413)
    outputs = predict(client, "flowers", {"inputs": {"texts": TEXTS[:1], "seed": 0}})["outputs"]
    np.testing.assert_array_equal(
        np.asarray(outputs["images"], np.uint8), flowers.generate(TEXTS[:1], seed=0)
    )
