"""The page's JSON API: grids, Stage-I sketches, the zoo's classes and codes, style transfer,
bad input as JSON errors, a full queue, and a real HTTP server that survives bad requests."""

import base64
import http.client
import io
import json
import threading

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("flask")

from keras_stackgan.serve import create_app, make_local_server  # noqa: E402
from keras_stackgan.serve.pictures import decode_upload  # noqa: E402
from keras_stackgan.serve.state import EXTENSION  # noqa: E402

TEXTS = ["this flower has pink petals and a yellow centre", "a white flower with thin petals"]


@pytest.fixture(scope="module")
def pipelines(flowers, style_flowers, tiny_stackgan, tiny_infogan, tiny_dcgan):
    return {
        "flowers": flowers,
        "gan-int-cls-flowers": style_flowers,
        "tiny-stackgan": tiny_stackgan,
        "tiny-infogan": tiny_infogan,
        "tiny-dcgan": tiny_dcgan,
    }


@pytest.fixture(scope="module")
def client(pipelines):
    return create_app(pipelines).test_client()


def pixels(data_url: str) -> np.ndarray:
    header, payload = data_url.split(",", 1)
    assert header == "data:image/png;base64"
    with Image.open(io.BytesIO(base64.b64decode(payload))) as image:
        assert image.format == "PNG"
        return np.asarray(image)


def png_bytes(array) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(array, np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def generate(client, body, status=200):
    response = client.post("/api/generate", json=body)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_json()


def test_page_and_its_files_are_served_without_external_urls(client):
    page = client.get("/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "/static/app.js" in html and "/static/style.css" in html
    for path in ("/static/app.js", "/static/style.css"):
        assert client.get(path).status_code == 200
    for text in (html, client.get("/static/app.js").get_data(as_text=True)):
        assert "http://" not in text and "https://" not in text and "//cdn" not in text
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]


def test_presets_describe_each_kind(client):
    payload = client.get("/api/presets").get_json()
    presets = {p["name"]: p for p in payload["presets"]}
    assert presets["flowers"]["kind"] == "text" and presets["flowers"]["image_size"] == 64
    assert presets["flowers"]["shows_stage1"] is False
    assert presets["tiny-stackgan"]["shows_stage1"] is True
    assert presets["gan-int-cls-flowers"]["style_transfer"] is True
    infogan = presets["tiny-infogan"]
    assert (infogan["kind"], infogan["num_classes"], infogan["code_dim"]) == ("noise", 3, 2)
    assert infogan["class_names"] == ["class 0", "class 1", "class 2"]
    assert presets["tiny-dcgan"]["num_classes"] == 0
    assert payload["limits"]["max_texts"] == 16


def test_text_grid_is_pipeline_generate_column_per_sentence(client, flowers):
    result = generate(client, {"preset": "flowers", "texts": TEXTS, "num_images": 3, "seed": 5})
    assert (result["columns"], result["rows"], result["seed"]) == (2, 3, 5)
    assert result["captions"] == TEXTS
    expected = flowers.generate(TEXTS, images_per_text=3, seed=5)
    got = np.stack([pixels(cell["src"]) for cell in result["cells"]])  # row-major
    for row in range(3):
        for column in range(2):
            np.testing.assert_array_equal(got[row * 2 + column], expected[column * 3 + row])
    assert all("stage1" not in cell for cell in result["cells"])  # 64 px presets: no sketch


def test_missing_seed_is_drawn_and_reported(client):
    result = generate(client, {"preset": "flowers", "texts": TEXTS[:1], "num_images": 1})
    assert isinstance(result["seed"], int) and 0 <= result["seed"] < 2**31


def test_stackgan_grid_has_the_stage1_sketch_next_to_the_result(client):
    result = generate(client, {"preset": "tiny-stackgan", "texts": ["a red bird"], "seed": 0})
    assert len(result["cells"]) == 4
    for cell in result["cells"]:
        assert pixels(cell["src"]).shape == (128, 128, 3)
        assert pixels(cell["stage1"]).shape == (64, 64, 3)


def test_zoo_class_picker_and_codes(client, tiny_infogan, tiny_dcgan):
    body = {"preset": "tiny-infogan", "labels": [2, "class 0"], "codes": [0.5, -1.0]}
    result = generate(client, {**body, "num_images": 2, "seed": 9})
    assert (result["columns"], result["rows"]) == (2, 2)
    assert result["captions"] == ["class 2", "class 0"]
    expected = tiny_infogan.generate(labels=[2, 2, 0, 0], codes=[0.5, -1.0], seed=9)
    got = np.stack([pixels(cell["src"]) for cell in result["cells"]])
    np.testing.assert_array_equal(got[[0, 2, 1, 3]], expected[..., 0])  # grey PNGs: [H, W]

    result = generate(client, {"preset": "tiny-dcgan", "num_images": 12, "seed": 1})
    assert (result["columns"], result["rows"], result["captions"]) == (8, 2, None)
    got = np.stack([pixels(cell["src"]) for cell in result["cells"]])
    np.testing.assert_array_equal(got, tiny_dcgan.generate(12, seed=1))


@pytest.mark.parametrize(
    "body, status, message",
    [
        ({"preset": "flowers", "texts": [""]}, 400, "texts[0] is empty"),
        ({"preset": "flowers", "texts": []}, 400, "non-empty list"),
        ({"preset": "flowers", "texts": ["a rose"] * 1000}, 400, "at most 16 sentences"),
        ({"preset": "flowers", "texts": ["a" * 5000]}, 400, "at most 1000"),
        ({"preset": "flowers", "texts": [3]}, 400, "must be a string"),
        ({"preset": "nope", "texts": ["a rose"]}, 404, "unknown preset 'nope'"),
        ({"texts": ["a rose"]}, 404, "unknown preset None"),
        ({"preset": "flowers", "texts": ["a rose"], "seed": "abc"}, 400, "seed must be an integer"),
        ({"preset": "flowers", "texts": ["a rose"], "seed": 1.5}, 400, "seed must be an integer"),
        ({"preset": "flowers", "texts": ["a rose"], "seed": 2**70}, 400, "seed must be an integer"),
        ({"preset": "flowers", "texts": ["a rose"], "seed": True}, 400, "seed must be an integer"),
        ({"preset": "flowers", "texts": ["a rose"], "num_images": 0}, 400, "1 to 16"),
        ({"preset": "flowers", "texts": ["a"] * 16, "num_images": 16}, 400, "more than 64"),
        ({"preset": "flowers", "texts": ["a rose"], "truncation": -1}, 400, "truncation"),
        ({"preset": "flowers", "texts": ["a rose"], "sample_condition": "yes"}, 400, "true or"),
        ({"preset": "tiny-infogan", "texts": ["a rose"]}, 400, "not from sentences"),
        ({"preset": "tiny-infogan", "labels": [7]}, 400, "outside 0..2"),
        ({"preset": "tiny-infogan", "labels": ["cat"]}, 400, "Unknown class name"),
        ({"preset": "tiny-infogan", "codes": [1.0]}, 400, "list of 2 finite numbers"),
        ({"preset": "tiny-dcgan", "labels": [1]}, 400, "unconditional"),
        ({"preset": "tiny-dcgan", "codes": [1.0]}, 400, "no continuous codes"),
    ],
    ids=lambda value: repr(value)[:50] if isinstance(value, dict) else None,
)
def test_bad_generate_requests_are_json_errors(client, body, status, message):
    response = client.post("/api/generate", json=body)
    assert response.status_code == status
    assert message in response.get_json()["error"], response.get_json()


def test_bad_bodies_routes_and_methods(client):
    response = client.post(
        "/api/generate", data=b'{"preset": "flowers", "texts": ["' + b"a" * 1_000_000 + b'"]}'
    )
    assert response.status_code == 413 and "262144 bytes" in response.get_json()["error"]
    response = client.post("/api/generate", data=b"not json")
    assert response.status_code == 400 and "JSON" in response.get_json()["error"]
    response = client.get("/api/generate")
    assert response.status_code == 405 and "error" in response.get_json()
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "error" in response.get_json()


def test_style_transfer_of_an_uploaded_image(client, style_flowers):
    rng = np.random.default_rng(0)
    query = rng.integers(0, 256, size=(40, 50, 3), dtype=np.uint8)
    data = {
        "preset": "gan-int-cls-flowers",
        "texts": "a yellow flower\n\na purple flower",
        "images": [(io.BytesIO(png_bytes(query)), "query.png")],
    }
    response = client.post("/api/style", data=data, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    assert (result["columns"], result["rows"]) == (3, 1)
    assert result["captions"] == ["your image", "a yellow flower", "a purple flower"]
    decoded = decode_upload(png_bytes(query), "query.png", 64, 10**6)
    expected = style_flowers.transfer_style(decoded[None], ["a yellow flower", "a purple flower"])
    cells = result["cells"]
    np.testing.assert_array_equal(pixels(cells[0]["src"]), decoded)
    np.testing.assert_array_equal(np.stack([pixels(c["src"]) for c in cells[1:]]), expected[0])


@pytest.mark.parametrize(
    "preset, files, texts, status, message",
    [
        (
            "gan-int-cls-flowers",
            [(b"%PDF-1.4 not an image", "notes.pdf")],
            "a rose",
            415,
            "not an image",
        ),
        (
            "gan-int-cls-flowers",
            [(b"\x89PNG\r\n\x1a\n broken", "cut.png")],
            "a rose",
            415,
            "not an image",
        ),
        ("gan-int-cls-flowers", [], "a rose", 400, "upload 1 to 4 images"),
        ("gan-int-cls-flowers", [(None, "x.png")] * 5, "a rose", 400, "upload 1 to 4 images"),
        ("gan-int-cls-flowers", [(None, "x.png")], "   ", 400, "is empty"),
        ("flowers", [(None, "x.png")], "a rose", 400, "no style encoder"),
        ("nope", [(None, "x.png")], "a rose", 404, "unknown preset"),
        ("gan-int-cls-flowers", [(b"\0" * (5 * 2**20), "big.png")], "a rose", 413, "larger than"),
    ],
    ids=lambda value: repr(value)[:30] if isinstance(value, list) else None,
)
def test_bad_uploads_are_json_errors(client, preset, files, texts, status, message):
    small = png_bytes(np.zeros((8, 8, 3)))
    data = {
        "preset": preset,
        "texts": texts,
        "images": [(io.BytesIO(small if body is None else body), name) for body, name in files],
    }
    response = client.post("/api/style", data=data, content_type="multipart/form-data")
    assert response.status_code == status
    assert message in response.get_json()["error"], response.get_json()


def test_style_needs_a_multipart_body(client):
    response = client.post("/api/style", json={"preset": "gan-int-cls-flowers"})
    assert response.status_code == 400 and "multipart" in response.get_json()["error"]


def test_a_full_queue_answers_503_and_recovers(pipelines):
    app = create_app({"tiny-dcgan": pipelines["tiny-dcgan"]}, max_pending=1)
    client = app.test_client()
    queue = app.extensions[EXTENSION].queue
    release = threading.Event()
    blocker = queue.submit(release.wait, 30)  # occupies the only slot
    try:
        response = client.post("/api/generate", json={"preset": "tiny-dcgan", "seed": 0})
        assert response.status_code == 503 and response.headers["Retry-After"] == "5"
        assert "busy" in response.get_json()["error"]
        predict = client.post(
            "/v1/models/tiny-dcgan:predict", json={"inputs": {"num_images": 1, "seed": 0}}
        )
        assert predict.status_code == 503
    finally:
        release.set()
    blocker.result(timeout=30)
    assert generate(client, {"preset": "tiny-dcgan", "seed": 0})["cells"]
    queue.close()


def test_real_server_survives_bad_requests(pipelines, flowers):
    """Over a socket: a 1 MB body, garbage, a non-image upload, then a good request."""
    server = make_local_server(
        {"flowers": flowers, "gan-int-cls-flowers": pipelines["gan-int-cls-flowers"]},
        port=0,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_port

    def post(path, body, content_type="application/json"):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            connection.request("POST", path, body=body, headers={"Content-Type": content_type})
            response = connection.getresponse()
            return response.status, json.loads(response.read())
        finally:
            connection.close()

    try:
        status, payload = post("/api/generate", b"{" + b" " * 1_000_000 + b"}")
        assert status == 413 and "error" in payload
        assert post("/v1/models/flowers:predict", b"\x00\xff garbage")[0] == 400
        boundary = "b0undary"
        form = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="preset"\r\n\r\n'
            f"gan-int-cls-flowers\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="texts"\r\n\r\na rose\r\n--{boundary}\r\nContent-Disposition: form-data; '
            f'name="images"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n'
            f"--{boundary}--\r\n"
        ).encode()
        status, payload = post("/api/style", form, f"multipart/form-data; boundary={boundary}")
        assert status == 415 and "not an image" in payload["error"]
        body = json.dumps({"inputs": {"texts": TEXTS[:1], "seed": 0}})
        status, payload = post("/v1/models/flowers:predict", body)
        assert status == 200
        np.testing.assert_array_equal(
            np.asarray(payload["outputs"]["images"], np.uint8), flowers.generate(TEXTS[:1], seed=0)
        )
        assert thread.is_alive()
    finally:
        server.shutdown()
        server.server_close()
